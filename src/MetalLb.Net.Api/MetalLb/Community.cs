using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 Community: named aliases for BGP community values.</summary>
[CrdKind("Community", "communities", "community",
    Description = "Named aliases for BGP community values, usable wherever a BGPAdvertisement lists communities.")]
[CrdVersion("v1beta1")]
public sealed class Community : KubeObject
{
    [JsonPropertyName("spec")] public CommunitySpec Spec { get; set; } = new();
}

[Description("The aliases this object defines.")]
public sealed class CommunitySpec
{
    [Description("Alias name and community value pairs.")]
    [JsonPropertyName("communities")] public List<CommunityAlias>? Communities { get; set; }
}

public sealed class CommunityAlias
{
    /// <summary>The alias, usable in BGPAdvertisement.spec.communities.</summary>
    [Description("The alias, written in place of the value in BGPAdvertisement communities.")]
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>"A:B" (16 bits each) or "large:A:B:C" (32 bits each).</summary>
    [Description("The community the alias stands for: standard A:B (16 bits each) or large:A:B:C (32 bits each).")]
    [JsonPropertyName("value")] public string? Value { get; set; }
}
