using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 BGPAdvertisement: how pools are announced over BGP.</summary>
public sealed class BGPAdvertisement : KubeObject
{
    [JsonPropertyName("spec")] public BGPAdvertisementSpec Spec { get; set; } = new();
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BGPAdvertisementSpec
{
    /// <summary>IPv4 prefix length announced. <value>32 by default.</value></summary>
    [JsonPropertyName("aggregationLength")] public int? AggregationLength { get; set; }

    /// <summary>IPv6 prefix length announced. <value>128 by default.</value></summary>
    [JsonPropertyName("aggregationLengthV6")] public int? AggregationLengthV6 { get; set; }

    /// <summary>LOCAL_PREF for iBGP sessions; 0 means unset.</summary>
    [JsonPropertyName("localPref")] public uint? LocalPref { get; set; }

    /// <summary>Community literals ("A:B", "large:A:B:C") or Community alias names.</summary>
    [JsonPropertyName("communities")] public List<string>? Communities { get; set; }

    [JsonPropertyName("ipAddressPools")] public List<string>? IPAddressPools { get; set; }
    [JsonPropertyName("ipAddressPoolSelectors")] public List<LabelSelector>? IPAddressPoolSelectors { get; set; }
    [JsonPropertyName("nodeSelectors")] public List<LabelSelector>? NodeSelectors { get; set; }

    /// <summary>BGPPeer names to announce to; empty means every peer.</summary>
    [JsonPropertyName("peers")] public List<string>? Peers { get; set; }
    [JsonPropertyName("serviceSelectors")] public List<LabelSelector>? ServiceSelectors { get; set; }
}
