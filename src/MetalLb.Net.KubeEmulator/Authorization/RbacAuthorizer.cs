using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Authorization;

/// <summary>
/// RBAC as kube-apiserver decides it, from the Roles, ClusterRoles, RoleBindings and
/// ClusterRoleBindings stored in the emulator: allow when any rule of any role bound to the user
/// (cluster-wide, or in the request's namespace) matches; otherwise deny. system:masters is
/// allowed everything before RBAC is asked, as on the real server. Bindings to a role that does
/// not exist become the denial's reason ("RBAC: role.rbac.authorization.k8s.io "x" not found").
/// ClusterRole aggregation is not done: aggregated roles are used with the rules they hold.
/// </summary>
internal static class RbacAuthorizer
{
    private const string Group = "rbac.authorization.k8s.io";

    public static bool Allows(ObjectStore store, UserInfo user, RequestAttributes request, out string reason)
    {
        reason = "";
        if (user.IsMaster)
            return true;
        var errors = new List<string>();
        foreach (var (_, binding) in store.List($"{Group}/clusterrolebindings", null).Items)
        {
            if (AppliesTo(binding, user, bindingNamespace: "") && AnyRuleAllows(store, binding, null, request, errors))
                return true;
        }
        if (request.Namespace is { Length: > 0 } ns)
        {
            foreach (var (_, binding) in store.List($"{Group}/rolebindings", ns).Items)
            {
                if (AppliesTo(binding, user, ns) && AnyRuleAllows(store, binding, ns, request, errors))
                    return true;
            }
        }
        if (errors.Count > 0)
            reason = "RBAC: " + (errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
        return false;
    }

    private static bool AnyRuleAllows(ObjectStore store, JsonObject binding, string? ns, RequestAttributes request, List<string> errors)
    {
        string kind = Meta.Str(binding, "roleRef", "kind") ?? "";
        string name = Meta.Str(binding, "roleRef", "name") ?? "";
        JsonObject? role = kind switch
        {
            "ClusterRole" => store.Get($"{Group}/clusterroles", null, name),
            "Role" when ns is not null => store.Get($"{Group}/roles", ns, name),
            _ => null,
        };
        if (role is null)
        {
            errors.Add($"{kind.ToLowerInvariant()}.{Group} \"{name}\" not found");
            return false;
        }
        return Meta.At(role, "rules") is JsonArray rules && rules.OfType<JsonObject>().Any(r => RuleAllows(r, request));
    }

    /// <summary>
    /// A subject names the user, one of its groups, or its ServiceAccount (a RoleBinding's
    /// ServiceAccount subject without a namespace means the binding's own).
    /// </summary>
    private static bool AppliesTo(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        if (Meta.At(binding, "subjects") is not JsonArray subjects)
            return false;
        foreach (var subject in subjects.OfType<JsonObject>())
        {
            string name = Meta.Str(subject, "name") ?? "";
            bool match = Meta.Str(subject, "kind") switch
            {
                "User" => user.Name == name,
                "Group" => user.Groups.Contains(name),
                "ServiceAccount" => user.Name == $"system:serviceaccount:{(Meta.Str(subject, "namespace") is { Length: > 0 } n ? n : bindingNamespace)}:{name}",
                _ => false,
            };
            if (match)
                return true;
        }
        return false;
    }

    /// <summary>
    /// One PolicyRule: the verb, then either apiGroups + resources (+ resourceNames) for a
    /// resource request, or nonResourceURLs (exact, or a prefix ending in *) for a path.
    /// "services" does not cover "services/status"; "*/status" covers every status.
    /// </summary>
    public static bool RuleAllows(JsonObject rule, RequestAttributes request)
    {
        if (!Has(rule, "verbs", request.Verb))
            return false;
        if (!request.IsResourceRequest)
            return Strings(rule, "nonResourceURLs").Any(u => u == "*" || u == request.Path || (u.EndsWith('*') && request.Path.StartsWith(u[..^1], StringComparison.Ordinal)));
        if (!Has(rule, "apiGroups", request.Group))
            return false;
        var resources = Strings(rule, "resources").ToList();
        if (!resources.Any(r => r == "*" || r == request.CombinedResource || (request.Subresource is { } sub && r == "*/" + sub)))
            return false;
        var names = Strings(rule, "resourceNames").ToList();
        return names.Count == 0 || (request.Name is { } n && names.Contains(n));
    }

    private static bool Has(JsonObject rule, string field, string value) =>
        Strings(rule, field).Any(v => v == "*" || v == value);

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        rule[field] is JsonArray a ? a.Select(v => v?.GetValue<string>() ?? "") : [];
}
