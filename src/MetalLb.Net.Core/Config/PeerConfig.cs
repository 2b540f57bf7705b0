using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// A validated BGPPeer (v1beta2 semantics; v1beta1 objects are converted first). Timers are
/// resolved as upstream does: only hold set → keepalive = hold/3; only keepalive → hold = 3×.
/// Null timers mean "engine default" (hold 90 s).
/// </summary>
public sealed record PeerConfig(
    string Name,
    uint MyAsn,
    uint? PeerAsn,
    DynamicAsnMode? DynamicAsn,
    uint? LocalAsn,
    IpAddress? Address,
    string? Interface,
    IpAddress? SourceAddress,
    int Port,
    TimeSpan? HoldTime,
    TimeSpan? KeepaliveTime,
    TimeSpan? ConnectTime,
    IpAddress? RouterId,
    IReadOnlyList<Selector> NodeSelectors,
    string? Password,
    string? BfdProfile,
    bool EnableGracefulRestart,
    bool EbgpMultiHop,
    string? Vrf,
    bool DisableMP,
    bool DualStackAddressFamily)
{
    /// <summary>iBGP when the peer's AS equals ours (dynamicASN internal counts as iBGP).</summary>
    public bool IsIbgp => PeerAsn is uint asn ? asn == MyAsn : DynamicAsn == DynamicAsnMode.Internal;

    public bool SelectsNode(IReadOnlyDictionary<string, string>? nodeLabels) =>
        NodeSelectors.Count == 0 || NodeSelectors.Any(s => s.Matches(nodeLabels));
}

public enum DynamicAsnMode
{
    Internal,
    External,
}
