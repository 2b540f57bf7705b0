using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>One rule of a Role or ClusterRole in a rendered chart, and where it applies.</summary>
public sealed record RbacRule(string RoleKind, string RoleName, int Index, JsonObject Rule, string? Namespace)
{
    public override string ToString() =>
        $"{RoleKind} {RoleName} rule {Index}: [{Join("verbs")}] on [{Join("resources")}] in groups [{string.Join(",", Strings("apiGroups").Select(g => $"\"{g}\""))}]" +
        (Strings("resourceNames").Count > 0 ? $" named [{Join("resourceNames")}]" : "");

    private string Join(string field) => string.Join(",", Strings(field));

    public IReadOnlyList<string> Strings(string field) => [.. (Rule[field]?.AsArray() ?? []).Select(v => (string)v!)];

    /// <summary>Whether this rule would allow <paramref name="d"/> (checked here independently of the emulator's own RBAC).</summary>
    public bool Allows(AuthorizationRecord d)
    {
        string resource = d.Subresource is null ? d.Resource : $"{d.Resource}/{d.Subresource}";
        return d.IsResourceRequest && (Namespace is null || Namespace == d.Namespace)
            && Strings("verbs").Contains(d.Verb) && Strings("apiGroups").Contains(d.Group) && Strings("resources").Contains(resource)
            && (Strings("resourceNames").Count == 0 || (d.Name is not null && Strings("resourceNames").Contains(d.Name)));
    }

    /// <summary>Each single permission of the rule: verb × group × resource (× name).</summary>
    public IEnumerable<RbacPermission> Permissions() =>
        from v in Strings("verbs")
        from g in Strings("apiGroups")
        from r in Strings("resources")
        from n in Strings("resourceNames").Select(n => (string?)n).DefaultIfEmpty(null)
        select new RbacPermission(v, g, r, n, Namespace);

    /// <summary>
    /// Every rule the chart binds to ServiceAccount <paramref name="account"/>: the rules of the
    /// ClusterRoles its ClusterRoleBindings name (anywhere) and of the Roles or ClusterRoles its
    /// RoleBindings name (in the binding's namespace).
    /// </summary>
    public static IReadOnlyList<RbacRule> BoundTo(Manifest chart, string account, string accountNamespace)
    {
        var rules = new List<RbacRule>();
        foreach (var binding in chart.OfKind("ClusterRoleBinding").Concat(chart.OfKind("RoleBinding")))
        {
            string? ns = (string?)binding["metadata"]!["namespace"];
            bool mine = (binding["subjects"]?.AsArray() ?? []).Any(s => (string?)s!["kind"] == "ServiceAccount"
                && (string?)s["name"] == account && ((string?)s["namespace"] ?? ns) == accountNamespace);
            if (!mine)
                continue;
            string kind = (string)binding["roleRef"]!["kind"]!, name = (string)binding["roleRef"]!["name"]!;
            var role = chart.Get(kind, name);
            var list = role["rules"]?.AsArray() ?? [];
            for (int i = 0; i < list.Count; i++)
                rules.Add(new RbacRule(kind, name, i, (JsonObject)list[i]!, (string?)binding["kind"] == "RoleBinding" ? ns : null));
        }
        return rules;
    }

    /// <summary>
    /// The chart with one permission of this rule taken out: the rule is split into one rule per
    /// resource carrying the same group, names and verbs, less <paramref name="permission"/>'s
    /// verb on its resource, so everything else the rule grants stays granted.
    /// </summary>
    public Manifest Without(Manifest chart, RbacPermission permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        // A permission is verb x group x resource x name: with one group and at most one name per
        // rule (as the chart writes them), splitting by resource is exact.
        Assert.True(Strings("apiGroups").Count == 1 && Strings("resourceNames").Count <= 1, $"{this}: split by resource needs one group and at most one name");
        return chart.Transform(o =>
        {
            if ((string?)o["kind"] != RoleKind || (string?)o["metadata"]!["name"] != RoleName)
                return;
            var rules = o["rules"]!.AsArray();
            rules.RemoveAt(Index);
            int at = Index;
            foreach (string resource in Strings("resources"))
            {
                var verbs = Strings("verbs").Where(v => resource != permission.Resource || v != permission.Verb).ToList();
                if (verbs.Count == 0)
                    continue;
                var split = (JsonObject)Rule.DeepClone();
                split["resources"] = new JsonArray(resource);
                split["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode?)v)]);
                rules.Insert(at++, split);
            }
        });
    }

    /// <summary>The chart with this rule taken out of its role (the other rules unchanged).</summary>
    public Manifest Without(Manifest chart) => chart.Transform(o =>
    {
        if ((string?)o["kind"] == RoleKind && (string?)o["metadata"]!["name"] == RoleName)
            o["rules"]!.AsArray().RemoveAt(Index);
    });
}

/// <summary>One verb on one resource (and name), where a rule applies.</summary>
public sealed record RbacPermission(string Verb, string Group, string Resource, string? Name, string? Namespace)
{
    public bool UsedBy(AuthorizationRecord d) => d.Allowed && Covers(d);

    /// <summary>Whether <paramref name="d"/> asked for this permission (allowed or not).</summary>
    public bool Covers(AuthorizationRecord d) =>
        d.IsResourceRequest && d.Verb == Verb && d.Group == Group
        && (d.Subresource is null ? d.Resource : $"{d.Resource}/{d.Subresource}") == Resource
        && (Name is null || d.Name == Name) && (Namespace is null || d.Namespace == Namespace);

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Name is null ? "" : $" named {Name}")}{(Namespace is null ? "" : $" in {Namespace}")}";
}
