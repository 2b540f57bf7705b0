using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Fsm;

/// <summary>What both OPENs agreed on (RFC 4271 §4.2, RFC 5492, RFC 6793, RFC 4724).</summary>
public sealed record NegotiatedSession(
    uint PeerAs,
    uint PeerRouterId,
    TimeSpan HoldTime,
    TimeSpan KeepaliveTime,
    bool FourOctetAs,
    bool RouteRefresh,
    IReadOnlyList<Afi> Families,
    GracefulRestartCapability? PeerGracefulRestart,
    bool GracefulRestart);
