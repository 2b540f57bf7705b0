using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Fsm;

/// <summary>One peer's session settings, as far as the FSM is concerned.</summary>
public sealed record BgpFsmOptions
{
    public required uint LocalAs { get; init; }
    /// <summary>The ASN the peer must announce (RFC 4271 §6.2 Bad Peer AS otherwise).</summary>
    public required uint PeerAs { get; init; }
    public required uint RouterId { get; init; }
    /// <value>90 seconds by default (upstream's default); zero disables keepalives and the hold timer.</value>
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(90);
    /// <value>Null by default: a third of the negotiated hold time (RFC 4271 §10).</value>
    public TimeSpan? KeepaliveTime { get; init; }
    /// <value>1 second by default: the first retry after a failure; it doubles up to <see cref="ConnectRetryMax"/>.</value>
    public TimeSpan ConnectRetryMin { get; init; } = TimeSpan.FromSeconds(1);
    /// <value>120 seconds by default (RFC 4271 §10 ConnectRetryTime; upstream caps its backoff there too).</value>
    public TimeSpan ConnectRetryMax { get; init; } = TimeSpan.FromSeconds(120);
    /// <value>4 minutes by default: the hold time while waiting for the peer's OPEN (RFC 4271 §8.2.2).</value>
    public TimeSpan LargeHoldTime { get; init; } = TimeSpan.FromMinutes(4);
    /// <summary>Only accept connections, never dial.</summary>
    public bool Passive { get; init; }
    /// <value>IPv4 and IPv6 unicast by default.</value>
    public IReadOnlyList<Afi> Families { get; init; } = [Afi.IPv4, Afi.IPv6];
    /// <summary>Announce the graceful restart capability (RFC 4724) with this restart time; null disables it.</summary>
    public TimeSpan? GracefulRestartTime { get; init; }
    /// <summary>Set the Restart State bit: we came back from a restart and peers hold our routes.</summary>
    public bool Restarting { get; init; }
}
