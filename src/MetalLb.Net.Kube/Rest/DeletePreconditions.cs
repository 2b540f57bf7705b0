using System.Text.Json.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>Delete only if the object still has this uid / resourceVersion.</summary>
public sealed class DeletePreconditions
{
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; set; }
}
