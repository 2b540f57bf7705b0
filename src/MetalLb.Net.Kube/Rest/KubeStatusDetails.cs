using System.Text.Json.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>meta/v1 StatusDetails.</summary>
public sealed class KubeStatusDetails
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("causes")] public List<KubeStatusCause>? Causes { get; set; }
    [JsonPropertyName("retryAfterSeconds")] public int? RetryAfterSeconds { get; set; }
}
