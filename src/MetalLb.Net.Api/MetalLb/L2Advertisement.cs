using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 L2Advertisement: which pools are answered for over ARP/NDP, from which nodes.</summary>
[CrdKind("L2Advertisement", "l2advertisements", "l2advertisement",
    Description = "Makes the addresses of the selected IPAddressPools reachable in layer 2 mode, one elected node answering ARP/NDP for each address.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "IPAddressPools", "string", ".spec.ipAddressPools")]
[PrinterColumn(2, "IPAddressPool Selectors", "string", ".spec.ipAddressPoolSelectors")]
[PrinterColumn(3, "Interfaces", "string", ".spec.interfaces")]
[PrinterColumn(4, "Node Selectors", "string", ".spec.nodeSelectors", Priority = 10)]
public sealed class L2Advertisement : KubeObject
{
    [JsonPropertyName("spec")] public L2AdvertisementSpec Spec { get; set; } = new();
}

[Description("What to announce, from which nodes and interfaces.")]
public sealed class L2AdvertisementSpec
{
    [Description("Names of the IPAddressPools announced by this advertisement.")]
    [JsonPropertyName("ipAddressPools")] public List<string>? IPAddressPools { get; set; }

    [Description("Label selectors choosing further IPAddressPools to announce. With neither names nor selectors, every pool is announced.")]
    [JsonPropertyName("ipAddressPoolSelectors")] public List<LabelSelector>? IPAddressPoolSelectors { get; set; }

    [Description("Label selectors choosing the nodes that may be elected to announce; empty means every node.")]
    [JsonPropertyName("nodeSelectors")] public List<LabelSelector>? NodeSelectors { get; set; }

    [Description("Host interfaces to answer on; empty means every interface. Names are not checked.")]
    [JsonPropertyName("interfaces")] public List<string>? Interfaces { get; set; }

    [Description("Label selectors choosing which Services' addresses are announced; empty means all.")]
    [JsonPropertyName("serviceSelectors")] public List<LabelSelector>? ServiceSelectors { get; set; }

    [Description("Weighted node preferences: among eligible nodes, those with the highest total weight of matching preferences win the election.")]
    [JsonPropertyName("preferredNodeSelectors")] public List<PreferredNodeSelector>? PreferredNodeSelectors { get; set; }
}

/// <summary>A weighted preference: nodes matching <see cref="Preference"/> score <see cref="Weight"/> (1..100).</summary>
[Description("A weighted node preference.")]
public sealed class PreferredNodeSelector
{
    [Required, Minimum(1), Maximum(100)]
    [Description("Score, 1 to 100, added to every node the preference matches.")]
    [JsonPropertyName("weight")] public int Weight { get; set; }

    [Required]
    [Description("The nodes this preference favours.")]
    [JsonPropertyName("preference")] public LabelSelector Preference { get; set; } = new();
}
