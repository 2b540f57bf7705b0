using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// Everything the configuration parser reads: the metallb.io objects of the MetalLB namespace
/// (BGPPeers already converted to v1beta2), Secrets of that namespace, Nodes and Namespaces.
/// </summary>
public sealed record ConfigInput
{
    public IReadOnlyList<IPAddressPool> Pools { get; init; } = [];
    public IReadOnlyList<Community> Communities { get; init; } = [];
    public IReadOnlyList<L2Advertisement> L2Advertisements { get; init; } = [];
    public IReadOnlyList<BGPAdvertisement> BgpAdvertisements { get; init; } = [];
    public IReadOnlyList<BGPPeer> Peers { get; init; } = [];
    public IReadOnlyList<BFDProfile> BfdProfiles { get; init; } = [];
    public IReadOnlyList<Secret> Secrets { get; init; } = [];
    public IReadOnlyList<Node> Nodes { get; init; } = [];
    public IReadOnlyList<Namespace> Namespaces { get; init; } = [];

    /// <summary>The BGP implementation whose extra rules apply (docs/upstream-behaviour.md#mode-specific-validation).</summary>
    public BgpMode Mode { get; init; } = BgpMode.FrrK8s;
}

/// <summary>
/// Upstream's METALLB_BGP_TYPE. Our own engine supports what upstream's FRR modes support, so
/// FrrK8s is the default; Native applies upstream's native-mode restrictions.
/// </summary>
public enum BgpMode
{
    FrrK8s,
    Frr,
    Native,
}
