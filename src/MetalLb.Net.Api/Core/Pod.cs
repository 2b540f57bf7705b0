using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.Core;

/// <summary>
/// core/v1 Pod, the little the speaker reads: memberlist discovery lists the speaker Pods by
/// label and joins their IPs (hostNetwork, so a pod IP is its node's IP), and the status objects
/// a speaker writes are owned by its own Pod.
/// </summary>
public sealed class Pod : KubeObject
{
    [JsonPropertyName("spec")] public PodSpec? Spec { get; set; }
    [JsonPropertyName("status")] public PodStatus? Status { get; set; }
}

public sealed class PodSpec
{
    [JsonPropertyName("nodeName")] public string? NodeName { get; set; }
    [JsonPropertyName("hostNetwork")] public bool? HostNetwork { get; set; }
}

public sealed class PodStatus
{
    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("podIP")] public string? PodIP { get; set; }
    [JsonPropertyName("podIPs")] public List<PodIP>? PodIPs { get; set; }
}

public sealed class PodIP
{
    [JsonPropertyName("ip")] public string IP { get; set; } = "";
}
