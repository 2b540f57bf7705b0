namespace MetalLb.Net.Bgp.Wire;

/// <summary>NOTIFICATION error codes (RFC 4271 §4.5, RFC 7313 §5). Append only: values are on the wire.</summary>
public enum BgpErrorCode : byte
{
    None = 0,
    MessageHeader = 1,
    OpenMessage = 2,
    UpdateMessage = 3,
    HoldTimerExpired = 4,
    FiniteStateMachine = 5,
    Cease = 6,
    RouteRefreshMessage = 7,
}
