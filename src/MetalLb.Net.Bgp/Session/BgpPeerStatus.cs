using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Session;

/// <summary>A snapshot of one peer's session, for the host and for metrics.</summary>
public sealed record BgpPeerStatus(
    string Name,
    string Peer,
    BgpState State,
    TransitionReason LastReason,
    BgpError LastError,
    int AnnouncedPrefixes,
    int PendingPrefixes,
    long UpdatesSent,
    NegotiatedSession? Session)
{
    /// <summary>Prefixes the peer currently announces to us (we keep no paths, only the count).</summary>
    public int ReceivedPrefixes { get; init; }
}
