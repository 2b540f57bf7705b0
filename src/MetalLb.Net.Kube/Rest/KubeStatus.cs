using System.Text.Json.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// meta/v1 Status: what the API server sends instead of an object when a request fails
/// (and inside a watch ERROR event, e.g. 410 Gone for a too-old resourceVersion).
/// </summary>
public sealed class KubeStatus
{
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    /// <summary>"Success" or "Failure".</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    /// <summary>Machine-readable: NotFound, AlreadyExists, Conflict, Invalid, Expired, ...</summary>
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("details")] public KubeStatusDetails? Details { get; set; }
    [JsonPropertyName("code")] public int Code { get; set; }
}
