using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>Small accessors for metadata of objects kept as JsonObject.</summary>
internal static class Meta
{
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
            return m;
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? Str(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            if (node is not JsonObject o)
                return null;
            node = o[p];
        }
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            if (node is not JsonObject o)
                return null;
            node = o[p];
        }
        return node;
    }

    public static string Name(JsonObject obj) => Str(obj, "metadata", "name") ?? "";

    public static string? Namespace(JsonObject obj) => Str(obj, "metadata", "namespace");

    public static long ResourceVersion(JsonObject obj) =>
        long.TryParse(Str(obj, "metadata", "resourceVersion"), out var rv) ? rv : 0;

    public static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public static JsonObject Labels(JsonObject obj) => At(obj, "metadata", "labels") as JsonObject ?? [];

    public static bool IsTerminating(JsonObject obj) => At(obj, "metadata", "deletionTimestamp") is not null;

    public static bool HasFinalizers(JsonObject obj) =>
        At(obj, "metadata", "finalizers") is JsonArray a && a.Count > 0;

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
