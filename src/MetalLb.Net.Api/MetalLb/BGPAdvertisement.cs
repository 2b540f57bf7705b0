using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 BGPAdvertisement: how pools are announced over BGP.</summary>
[CrdKind("BGPAdvertisement", "bgpadvertisements", "bgpadvertisement",
    Description = "Announces the addresses of the selected IPAddressPools over BGP, with the given prefix lengths and attributes.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "IPAddressPools", "string", ".spec.ipAddressPools")]
[PrinterColumn(2, "IPAddressPool Selectors", "string", ".spec.ipAddressPoolSelectors")]
[PrinterColumn(3, "Peers", "string", ".spec.peers")]
[PrinterColumn(4, "Node Selectors", "string", ".spec.nodeSelectors", Priority = 10)]
public sealed class BGPAdvertisement : KubeObject
{
    [JsonPropertyName("spec")] public BGPAdvertisementSpec Spec { get; set; } = new();
}

// Selecting Services only makes sense per-address: an aggregated prefix would carry other
// Services' addresses too (docs/upstream-behaviour.md#bgpadvertisement-defaults). Defaults are applied before
// validation, so absent lengths already read 32 and 128 here.
[CelRule(
    "!has(self.serviceSelectors) || size(self.serviceSelectors) == 0 || " +
    "((!has(self.aggregationLength) || self.aggregationLength == 32) && " +
    "(!has(self.aggregationLengthV6) || self.aggregationLengthV6 == 128))",
    "serviceSelectors can only be used with the default aggregation lengths (32 for IPv4, 128 for IPv6)")]
[Description("What to announce, to which peers, from which nodes.")]
public sealed class BGPAdvertisementSpec
{
    /// <summary>IPv4 prefix length announced. <value>32 by default.</value></summary>
    [Default("32"), Minimum(1)]
    [Description("Prefix length used to announce IPv4 addresses; shorter than 32 rolls several Service addresses up into one route.")]
    [JsonPropertyName("aggregationLength")] public int? AggregationLength { get; set; }

    /// <summary>IPv6 prefix length announced. <value>128 by default.</value></summary>
    [Default("128")]
    [Description("Prefix length used to announce IPv6 addresses; 128 (the default) announces each address on its own.")]
    [JsonPropertyName("aggregationLengthV6")] public int? AggregationLengthV6 { get; set; }

    /// <summary>LOCAL_PREF for iBGP sessions; 0 means unset.</summary>
    [Description("The LOCAL_PREF attribute sent with the routes (iBGP only); peers prefer routes with higher values.")]
    [JsonPropertyName("localPref")] public uint? LocalPref { get; set; }

    /// <summary>Community literals ("A:B", "large:A:B:C") or Community alias names.</summary>
    [Description("BGP communities attached to the routes, each a literal (A:B or large:A:B:C) or the name of a Community alias.")]
    [JsonPropertyName("communities")] public List<string>? Communities { get; set; }

    [Description("Names of the IPAddressPools announced by this advertisement.")]
    [JsonPropertyName("ipAddressPools")] public List<string>? IPAddressPools { get; set; }

    [Description("Label selectors choosing further IPAddressPools to announce. With neither names nor selectors, every pool is announced.")]
    [JsonPropertyName("ipAddressPoolSelectors")] public List<LabelSelector>? IPAddressPoolSelectors { get; set; }

    [Description("Label selectors choosing the nodes that announce; empty means every node.")]
    [JsonPropertyName("nodeSelectors")] public List<LabelSelector>? NodeSelectors { get; set; }

    /// <summary>BGPPeer names to announce to; empty means every peer.</summary>
    [Description("Names of the BGPPeers to announce to; empty means every peer.")]
    [JsonPropertyName("peers")] public List<string>? Peers { get; set; }

    [Description("Label selectors choosing which Services' addresses are announced; empty means all. Requires the default aggregation lengths.")]
    [JsonPropertyName("serviceSelectors")] public List<LabelSelector>? ServiceSelectors { get; set; }
}
