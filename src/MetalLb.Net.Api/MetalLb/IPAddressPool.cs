using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 IPAddressPool: the addresses the controller hands out.</summary>
public sealed class IPAddressPool : KubeObject
{
    [JsonPropertyName("spec")] public IPAddressPoolSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public IPAddressPoolStatus? Status { get; set; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class IPAddressPoolSpec
{
    /// <summary>CIDRs ("192.0.2.0/24") or inclusive ranges ("192.0.2.10-192.0.2.20"), either family.</summary>
    [JsonPropertyName("addresses")] public List<string>? Addresses { get; set; }

    /// <summary>Whether automatic allocation may use this pool. <value>true by default.</value></summary>
    [JsonPropertyName("autoAssign")] public bool? AutoAssign { get; set; }

    /// <summary>Skip IPv4 addresses ending in .0 and .255. <value>false by default.</value></summary>
    [JsonPropertyName("avoidBuggyIPs")] public bool? AvoidBuggyIPs { get; set; }

    /// <summary>Restricts and prioritises the pool (upstream's Go field AllocateTo).</summary>
    [JsonPropertyName("serviceAllocation")] public ServiceAllocation? ServiceAllocation { get; set; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ServiceAllocation
{
    /// <summary>Smaller positive values are tried first; 0 (unset) after all positive ones.</summary>
    [JsonPropertyName("priority")] public int? Priority { get; set; }
    [JsonPropertyName("namespaces")] public List<string>? Namespaces { get; set; }
    [JsonPropertyName("namespaceSelectors")] public List<LabelSelector>? NamespaceSelectors { get; set; }
    [JsonPropertyName("serviceSelectors")] public List<LabelSelector>? ServiceSelectors { get; set; }
}

public sealed class IPAddressPoolStatus
{
    [JsonPropertyName("assignedIPv4")] public long? AssignedIPv4 { get; set; }
    [JsonPropertyName("assignedIPv6")] public long? AssignedIPv6 { get; set; }
    [JsonPropertyName("availableIPv4")] public long? AvailableIPv4 { get; set; }
    [JsonPropertyName("availableIPv6")] public long? AvailableIPv6 { get; set; }
}
