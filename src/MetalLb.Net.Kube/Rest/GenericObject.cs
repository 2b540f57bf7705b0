using System.Text.Json;
using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// Any object, for custom resources that have no model type: metadata is typed, every other
/// field (spec, status, ...) is kept as raw JSON so a read-modify-write loses nothing.
/// </summary>
public sealed class GenericObject : KubeObject
{
    [JsonExtensionData] public Dictionary<string, JsonElement>? Fields { get; set; }

    /// <summary>Reads one object from JSON text (a manifest converted from YAML, a test fixture).</summary>
    public static GenericObject Parse(string json) =>
        JsonSerializer.Deserialize(json, KubeJsonContext.Default.GenericObject)
            ?? throw new JsonException("null is not an object");

    /// <summary>The object as JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, KubeJsonContext.Default.GenericObject);
}
