using System.Text.Json.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>meta/v1 DeleteOptions: the preconditions and propagation the client sends.</summary>
public sealed class DeleteOptions
{
    [JsonPropertyName("kind")] public string Kind { get; set; } = "DeleteOptions";
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("propagationPolicy")] public string? PropagationPolicy { get; set; }
    [JsonPropertyName("gracePeriodSeconds")] public long? GracePeriodSeconds { get; set; }
    [JsonPropertyName("preconditions")] public DeletePreconditions? Preconditions { get; set; }
}
