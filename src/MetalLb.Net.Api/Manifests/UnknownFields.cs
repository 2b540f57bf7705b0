using System.Text.Json.Nodes;

namespace MetalLb.Net.Api.Manifests;

/// <summary>
/// Finds a field the model did not take: present (and not null) in what was written, absent
/// once the object is read and written back.
/// </summary>
internal static class UnknownFields
{
    /// <summary>The JSON path of the first unknown field, or null.</summary>
    public static string? First(JsonNode? written, JsonNode? roundTrip, string path)
    {
        switch (written)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (value is null) continue;
                    string child = YamlToJson.Child(path, key);
                    if (roundTrip is not JsonObject back || !back.TryGetPropertyValue(key, out var backValue)) return child;
                    if (First(value, backValue, child) is { } deeper) return deeper;
                }
                return null;
            case JsonArray array when roundTrip is JsonArray backArray:
                for (int i = 0; i < array.Count && i < backArray.Count; i++)
                    if (First(array[i], backArray[i], $"{path}[{i}]") is { } deeper) return deeper;
                return null;
            default:
                return null;
        }
    }
}
