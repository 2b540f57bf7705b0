using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 IPAddressPool: the addresses the controller hands out.</summary>
[CrdKind("IPAddressPool", "ipaddresspools", "ipaddresspool",
    Description = "A set of IP addresses the controller may assign to LoadBalancer Services.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "Auto Assign", "boolean", ".spec.autoAssign")]
[PrinterColumn(2, "Avoid Buggy IPs", "boolean", ".spec.avoidBuggyIPs")]
[PrinterColumn(3, "Addresses", "string", ".spec.addresses")]
public sealed class IPAddressPool : KubeObject
{
    [Required]
    [JsonPropertyName("spec")] public IPAddressPoolSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public IPAddressPoolStatus? Status { get; set; }
}

[Description("The addresses of the pool and who may use them.")]
public sealed class IPAddressPoolSpec
{
    /// <summary>CIDRs ("192.0.2.0/24") or inclusive ranges ("192.0.2.10-192.0.2.20"), either family.</summary>
    [Required]
    [Description("The address ranges this pool hands out, each a CIDR (192.0.2.0/24, 2001:db8::/120) or an inclusive start-end range. All ranges share the pool's settings.")]
    [JsonPropertyName("addresses")] public List<string>? Addresses { get; set; }

    /// <summary>Whether automatic allocation may use this pool. <value>true by default.</value></summary>
    [Default("true")]
    [Description("When false, the controller never picks this pool on its own; a Service must ask for it by annotation or requested IP.")]
    [JsonPropertyName("autoAssign")] public bool? AutoAssign { get; set; }

    /// <summary>Skip IPv4 addresses ending in .0 and .255. <value>false by default.</value></summary>
    [Default("false")]
    [Description("When true, IPv4 addresses ending in .0 or .255 are never handed out, for clients that mistake them for network or broadcast addresses.")]
    [JsonPropertyName("avoidBuggyIPs")] public bool? AvoidBuggyIPs { get; set; }

    /// <summary>Restricts and prioritises the pool (upstream's Go field AllocateTo).</summary>
    [Description("Limits the pool to some namespaces or Services and orders it among other pools. When several restricted pools match, lower positive priorities are tried first; pools without a priority come after them, and pools of equal priority in no particular order.")]
    [JsonPropertyName("serviceAllocation")] public ServiceAllocation? ServiceAllocation { get; set; }
}

public sealed class ServiceAllocation
{
    /// <summary>Smaller positive values are tried first; 0 (unset) after all positive ones.</summary>
    [Format("")] // Go int upstream: no format
    [Description("The pool's rank among matching pools: smaller positive values are tried first; unset (0) comes last.")]
    [JsonPropertyName("priority")] public int? Priority { get; set; }

    [Description("Names of the namespaces whose Services may use this pool.")]
    [JsonPropertyName("namespaces")] public List<string>? Namespaces { get; set; }

    [Description("Label selectors choosing the namespaces whose Services may use this pool, in addition to namespaces.")]
    [JsonPropertyName("namespaceSelectors")] public List<LabelSelector>? NamespaceSelectors { get; set; }

    [Description("Label selectors choosing the Services that may use this pool.")]
    [JsonPropertyName("serviceSelectors")] public List<LabelSelector>? ServiceSelectors { get; set; }
}

[Description("Address usage of the pool, kept up to date by the controller.")]
public sealed class IPAddressPoolStatus
{
    [Description("IPv4 addresses of the pool currently assigned to Services.")]
    [JsonPropertyName("assignedIPv4")] public long? AssignedIPv4 { get; set; }

    [Description("IPv6 addresses of the pool currently assigned to Services.")]
    [JsonPropertyName("assignedIPv6")] public long? AssignedIPv6 { get; set; }

    [Description("IPv4 addresses of the pool still free to assign.")]
    [JsonPropertyName("availableIPv4")] public long? AvailableIPv4 { get; set; }

    [Description("IPv6 addresses of the pool still free to assign.")]
    [JsonPropertyName("availableIPv6")] public long? AvailableIPv6 { get; set; }
}
