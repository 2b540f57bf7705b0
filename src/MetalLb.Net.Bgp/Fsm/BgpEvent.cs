using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Fsm;

/// <summary>What can happen to a session (RFC 4271 §8.1, trimmed to what the edge reports).</summary>
public abstract record BgpEvent
{
    private BgpEvent() { }

    public sealed record ManualStart : BgpEvent;
    /// <summary>Stop; <paramref name="Graceful"/> closes without a NOTIFICATION so a peer that
    /// negotiated graceful restart keeps our routes (RFC 4724 §4.2). Otherwise the peer gets
    /// Cease with <paramref name="CeaseSubcode"/> (RFC 4486 §4: 2 shutdown, 3 de-configured,
    /// 6 other configuration change).</summary>
    public sealed record ManualStop(bool Graceful = false, byte CeaseSubcode = 2) : BgpEvent;
    public sealed record TcpConnectionConfirmed : BgpEvent;
    public sealed record TcpConnectionAccepted : BgpEvent;
    public sealed record TcpConnectionFailed : BgpEvent;
    public sealed record TcpConnectionClosed : BgpEvent;
    public sealed record MessageReceived(BgpMessage Message) : BgpEvent;
    public sealed record DecodeFailed(BgpError Error) : BgpEvent;
    /// <summary>This connection lost a collision (RFC 4271 §6.8).</summary>
    public sealed record CollisionLost : BgpEvent;
    /// <summary>BFD declared the peer down (RFC 5882 §4.3): leave the session and stay Idle until <see cref="BfdUp"/>.</summary>
    public sealed record BfdDown : BgpEvent;
    /// <summary>BFD sees the peer again: start over from Idle.</summary>
    public sealed record BfdUp : BgpEvent;
}
