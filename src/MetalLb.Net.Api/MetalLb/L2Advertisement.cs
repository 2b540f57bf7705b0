using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 L2Advertisement: which pools are answered for over ARP/NDP, from which nodes.</summary>
public sealed class L2Advertisement : KubeObject
{
    [JsonPropertyName("spec")] public L2AdvertisementSpec Spec { get; set; } = new();
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class L2AdvertisementSpec
{
    [JsonPropertyName("ipAddressPools")] public List<string>? IPAddressPools { get; set; }
    [JsonPropertyName("ipAddressPoolSelectors")] public List<LabelSelector>? IPAddressPoolSelectors { get; set; }
    [JsonPropertyName("nodeSelectors")] public List<LabelSelector>? NodeSelectors { get; set; }
    [JsonPropertyName("interfaces")] public List<string>? Interfaces { get; set; }
    [JsonPropertyName("serviceSelectors")] public List<LabelSelector>? ServiceSelectors { get; set; }
    [JsonPropertyName("preferredNodeSelectors")] public List<PreferredNodeSelector>? PreferredNodeSelectors { get; set; }
}

/// <summary>A weighted preference: nodes matching <see cref="Preference"/> score <see cref="Weight"/> (1..100).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class PreferredNodeSelector
{
    [JsonPropertyName("weight")] public int Weight { get; set; }
    [JsonPropertyName("preference")] public LabelSelector Preference { get; set; } = new();
}
