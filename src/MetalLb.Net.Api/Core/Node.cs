using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.Core;

/// <summary>core/v1 Node: labels and conditions decide whether a node may announce.</summary>
public sealed class Node : KubeObject
{
    [JsonPropertyName("spec")] public NodeSpec? Spec { get; set; }
    [JsonPropertyName("status")] public NodeStatus? Status { get; set; }
}

public sealed class NodeSpec
{
    [JsonPropertyName("podCIDR")] public string? PodCIDR { get; set; }
    [JsonPropertyName("podCIDRs")] public List<string>? PodCIDRs { get; set; }
    [JsonPropertyName("unschedulable")] public bool? Unschedulable { get; set; }
}

public sealed class NodeStatus
{
    [JsonPropertyName("conditions")] public List<NodeCondition>? Conditions { get; set; }
    [JsonPropertyName("addresses")] public List<NodeAddress>? Addresses { get; set; }
}

public sealed class NodeCondition
{
    /// <summary>Ready, NetworkUnavailable, MemoryPressure, ...</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    /// <summary>"True", "False" or "Unknown".</summary>
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

public sealed class NodeAddress
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("address")] public string Address { get; set; } = "";
}
