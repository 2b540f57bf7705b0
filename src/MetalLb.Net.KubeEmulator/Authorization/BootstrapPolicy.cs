using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Authorization;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start that every
/// authenticated user relies on: system:discovery (the discovery and OpenAPI documents and
/// /version, which clients read before anything else) and system:public-info-viewer (/version
/// and health). Stored as objects, so `kubectl get clusterroles` shows them as on a cluster.
/// </summary>
internal static class BootstrapPolicy
{
    public static IEnumerable<(string Plural, JsonObject Object)> Objects()
    {
        string[] discovery = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"];
        string[] publicInfo = ["/healthz", "/livez", "/readyz", "/version", "/version/"];
        yield return ("clusterroles", Role("system:discovery", discovery));
        yield return ("clusterrolebindings", Binding("system:discovery", "system:authenticated"));
        yield return ("clusterroles", Role("system:public-info-viewer", publicInfo));
        yield return ("clusterrolebindings", Binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated"));
    }

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonObject Role(string name, string[] urls) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray(new JsonObject
        {
            ["nonResourceURLs"] = new JsonArray(urls.Select(u => (JsonNode)JsonValue.Create(u)).ToArray()),
            ["verbs"] = new JsonArray("get"),
        }),
    };

    private static JsonObject Binding(string name, params string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = "Group",
            ["name"] = g,
        }).ToArray()),
    };
}
