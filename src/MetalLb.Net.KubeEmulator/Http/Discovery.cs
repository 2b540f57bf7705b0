using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>
/// API discovery in both forms kubectl understands: the legacy documents (/api, /apis,
/// /api/v1, /apis/g/v) and the aggregated APIGroupDiscoveryList (apidiscovery.k8s.io v2 or
/// v2beta1), chosen by the Accept header like the real server.
/// </summary>
internal static class Discovery
{
    public static string? AggregatedVersion(string accept) =>
        !accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) ? null
        : accept.Contains("v=v2;", StringComparison.Ordinal) || accept.Contains("v=v2,", StringComparison.Ordinal) || accept.EndsWith("v=v2", StringComparison.Ordinal) ? "v2"
        : accept.Contains("v=v2beta1", StringComparison.Ordinal) ? "v2beta1" : null;

    public static JsonObject LegacyCore(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.GroupVersions().Where(g => g.Group.Length > 0).Select(g => (JsonNode)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject Group(string group, IReadOnlyList<string> versions) => new()
    {
        ["kind"] = "APIGroup",
        ["apiVersion"] = "v1",
        ["name"] = group,
        ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(group, v)).ToArray()),
        ["preferredVersion"] = GroupVersion(group, versions[0]),
    };

    public static JsonObject ResourceList(ResourceRegistry registry, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var t in registry.All.Where(t => t.Group == group && t.Versions.Contains(version)).OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            resources.Add(new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(ResourceType.AllVerbs),
                ["shortNames"] = Strings(t.ShortNames),
                ["categories"] = Strings(t.Categories),
            });
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = Strings(["get", "patch", "update"]),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>/api (core only) or /apis (every named group) as an APIGroupDiscoveryList.</summary>
    public static JsonObject Aggregated(ResourceRegistry registry, bool core, string discoveryVersion)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in registry.GroupVersions().Where(g => (g.Group.Length == 0) == core))
        {
            items.Add(new JsonObject
            {
                ["metadata"] = group.Length == 0 ? new JsonObject() : new JsonObject { ["name"] = group },
                ["versions"] = new JsonArray(versions.Select(v => (JsonNode)new JsonObject
                {
                    ["version"] = v,
                    ["resources"] = new JsonArray(registry.All.Where(t => t.Group == group && t.Versions.Contains(v))
                        .OrderBy(t => t.Plural, StringComparer.Ordinal).Select(t => (JsonNode)AggregatedResource(t, v)).ToArray()),
                    ["freshness"] = "Current",
                }).ToArray()),
            });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = $"apidiscovery.k8s.io/{discoveryVersion}",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(ResourceType t, string version)
    {
        var r = new JsonObject
        {
            ["resource"] = t.Plural,
            ["responseKind"] = Gvk(t, version),
            ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = t.Singular,
            ["verbs"] = Strings(ResourceType.AllVerbs),
            ["shortNames"] = Strings(t.ShortNames),
            ["categories"] = Strings(t.Categories),
        };
        if (t.HasStatus)
        {
            r["subresources"] = new JsonArray(new JsonObject
            {
                ["subresource"] = "status",
                ["responseKind"] = Gvk(t, version),
                ["verbs"] = Strings(["get", "patch", "update"]),
            });
        }
        return r;
    }

    private static JsonObject Gvk(ResourceType t, string version) =>
        new() { ["group"] = t.Group, ["version"] = version, ["kind"] = t.Kind };

    private static JsonObject GroupVersion(string group, string version) =>
        new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
