using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// OpenAPI v3, just enough for kubectl's default validation: an index of group-versions, and
/// per group-version one permissive schema per kind (tagged x-kubernetes-group-version-kind)
/// plus a patch operation declaring the fieldValidation parameter. Seeing that parameter,
/// kubectl sends fieldValidation=Strict and leaves validation to the server, which for custom
/// resources applies the CRD's real schema.
/// </summary>
internal static class OpenApi
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        var hash = $"{registry.Generation:X8}";
        foreach (var (group, versions) in registry.GroupVersions())
        {
            foreach (var v in versions)
            {
                var gv = group.Length == 0 ? $"api/{v}" : $"apis/{group}/{v}";
                paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={hash}" };
            }
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? Document(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Versions.Contains(version)).ToList();
        if (types.Count == 0)
            return null;
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var t in types)
        {
            var prefix = group.Length == 0 ? $"io.k8s.api.core.{version}" : $"{ReverseDomain(group)}.{version}";
            schemas[$"{prefix}.{t.Kind}"] = new JsonObject
            {
                ["type"] = "object",
                ["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject
                {
                    ["group"] = group,
                    ["version"] = version,
                    ["kind"] = t.Kind,
                }),
            };
            var root = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var item = t.Namespaced ? $"{root}/namespaces/{{namespace}}/{t.Plural}/{{name}}" : $"{root}/{t.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{t.Kind}",
                    // kubectl's query-parameter verifier finds the kind by this tag on the operation.
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = t.Kind },
                    ["x-kubernetes-action"] = "patch",
                    ["parameters"] = new JsonArray(Query("fieldValidation"), Query("fieldManager"), Query("dryRun"), Query("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.33.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static string ReverseDomain(string group) => string.Join('.', group.Split('.').Reverse());
}
