using System.Text.Json.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>meta/v1 StatusCause: one reason a request was rejected, e.g. a field path for 422.</summary>
public sealed class KubeStatusCause
{
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("field")] public string? Field { get; set; }
}
