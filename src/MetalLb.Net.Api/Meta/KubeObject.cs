using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Meta;

/// <summary>
/// What every Kubernetes object has: apiVersion, kind and metadata (TypeMeta + ObjectMeta).
/// </summary>
public abstract class KubeObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>"namespace/name", or just "name" for cluster-scoped objects.</summary>
    [JsonIgnore]
    public string Key => string.IsNullOrEmpty(Metadata.Namespace) ? Metadata.Name ?? "" : $"{Metadata.Namespace}/{Metadata.Name}";
}
