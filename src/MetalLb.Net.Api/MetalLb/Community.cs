using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 Community: named aliases for BGP community values.</summary>
public sealed class Community : KubeObject
{
    [JsonPropertyName("spec")] public CommunitySpec Spec { get; set; } = new();
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CommunitySpec
{
    [JsonPropertyName("communities")] public List<CommunityAlias>? Communities { get; set; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CommunityAlias
{
    /// <summary>The alias, usable in BGPAdvertisement.spec.communities.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>"A:B" (16 bits each) or "large:A:B:C" (32 bits each).</summary>
    [JsonPropertyName("value")] public string? Value { get; set; }
}
