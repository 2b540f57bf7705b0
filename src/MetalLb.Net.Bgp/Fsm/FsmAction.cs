using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Fsm;

/// <summary>What the edge must do after a step; performed in order.</summary>
public abstract record FsmAction
{
    private FsmAction() { }

    /// <summary>Open the TCP connection to the peer.</summary>
    public sealed record Connect : FsmAction;
    public sealed record Send(BgpMessage Message) : FsmAction;
    /// <summary>Close the TCP connection (after any Send before it).</summary>
    public sealed record CloseConnection : FsmAction;
    /// <summary>The session is up: send the Adj-RIB-Out, then End-of-RIB where negotiated.</summary>
    public sealed record SessionEstablished(NegotiatedSession Session) : FsmAction;
    /// <summary>An Established session ended.</summary>
    public sealed record SessionDown(TransitionReason Reason, BgpError Error) : FsmAction;
    /// <summary>The peer asked for our routes again (RFC 2918 §4).</summary>
    public sealed record ResendRoutes(Afi Afi, Safi Safi) : FsmAction;
    /// <summary>An UPDATE from the peer, already checked (RFC 7606).</summary>
    public sealed record RoutesReceived(ReceivedUpdate Update) : FsmAction;
}
