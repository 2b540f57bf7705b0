using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Tables;

/// <summary>The Service cells kubectl's printer computes: EXTERNAL-IP, PORT(S), SELECTOR.</summary>
internal static class ServiceColumns
{
    public static string ExternalIp(JsonObject svc)
    {
        var type = Meta.Str(svc, "spec", "type");
        var external = (Meta.At(svc, "spec", "externalIPs") as JsonArray)?.Select(n => n?.GetValue<string>() ?? "").ToList() ?? [];
        switch (type)
        {
            case "ExternalName":
                return Meta.Str(svc, "spec", "externalName") ?? "<none>";
            case "LoadBalancer":
                var ingress = (Meta.At(svc, "status", "loadBalancer", "ingress") as JsonArray)?.OfType<JsonObject>()
                    .Select(i => Meta.Str(i, "ip") ?? Meta.Str(i, "hostname") ?? "").Where(s => s.Length > 0).ToList() ?? [];
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            default:
                return external.Count > 0 ? string.Join(",", external) : "<none>";
        }
    }

    public static string Ports(JsonObject svc)
    {
        var ports = (Meta.At(svc, "spec", "ports") as JsonArray)?.OfType<JsonObject>().Select(p =>
        {
            var port = p["port"]?.ToJsonString() ?? "";
            var proto = Meta.Str(p, "protocol") ?? "TCP";
            return p["nodePort"] is { } np ? $"{port}:{np.ToJsonString()}/{proto}" : $"{port}/{proto}";
        }).ToList() ?? [];
        return ports.Count > 0 ? string.Join(",", ports) : "<none>";
    }

    public static string Selector(JsonObject svc) =>
        Meta.At(svc, "spec", "selector") is JsonObject sel && sel.Count > 0
            ? string.Join(",", sel.Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}"))
            : "<none>";
}
