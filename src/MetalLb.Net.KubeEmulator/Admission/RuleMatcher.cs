using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// RuleWithOperations matching as the real server does it: operation, apiGroups, apiVersions
/// ("*" matches any), resources ("*" the main resources only, "r/sub", "r/*", "*/sub", "*/*"),
/// and scope (Cluster: cluster-scoped objects and Namespaces themselves; Namespaced: the rest).
/// </summary>
internal static class RuleMatcher
{
    public static bool Matches(JsonObject rule, ResourceType type, string version, string? subresource, string operation, string? ns)
    {
        return Scope(rule, type, ns)
            && Any(rule["operations"], o => o == "*" || o == operation)
            && Any(rule["apiGroups"], g => g == "*" || g == type.Group)
            && Any(rule["apiVersions"], v => v == "*" || v == version)
            && Any(rule["resources"], r => Resource(r, type.Plural, subresource ?? ""));
    }

    private static bool Scope(JsonObject rule, ResourceType type, string? ns)
    {
        var scope = rule["scope"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "*";
        bool isNamespaceObject = type.Group.Length == 0 && type.Plural == "namespaces";
        return scope switch
        {
            "*" => true,
            "Namespaced" => !isNamespaceObject && !string.IsNullOrEmpty(ns),
            "Cluster" => isNamespaceObject || string.IsNullOrEmpty(ns),
            _ => false,
        };
    }

    private static bool Resource(string rule, string plural, string subresource)
    {
        int slash = rule.IndexOf('/', StringComparison.Ordinal);
        var res = slash < 0 ? rule : rule[..slash];
        var sub = slash < 0 ? "" : rule[(slash + 1)..];
        return (res == "*" || res == plural) && (sub == "*" || sub == subresource);
    }

    private static bool Any(JsonNode? list, Func<string, bool> match) =>
        list is JsonArray a && a.Any(n => n is JsonValue v && v.TryGetValue<string>(out var s) && match(s));
}
