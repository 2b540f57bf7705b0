using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Patching;

/// <summary>RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces.</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = Apply(result[key], value);
        }
        return result;
    }
}
