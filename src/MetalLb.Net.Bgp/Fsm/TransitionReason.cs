namespace MetalLb.Net.Bgp.Fsm;

/// <summary>Why the FSM moved (or stayed). Every step carries one, for logs and metrics.</summary>
public enum TransitionReason
{
    ManualStart,
    ManualStop,
    ConnectRetryTimerExpired,
    TcpConnectionConfirmed,
    TcpConnectionAccepted,
    TcpConnectionFailed,
    TcpConnectionClosed,
    OpenReceived,
    OpenRejected,
    KeepaliveReceived,
    KeepaliveTimerExpired,
    HoldTimerExpired,
    NotificationReceived,
    DecodeError,
    UnexpectedMessage,
    UpdateReceived,
    UpdateError,
    RouteRefreshReceived,
    CollisionResolution,
    Ignored,
    BfdDown,
    BfdUp,
}
