namespace MetalLb.Net.Bgp.Fsm;

/// <summary>The result of one event: the state before and after, why, and what to do.</summary>
public sealed record FsmStep(BgpState From, BgpState State, TransitionReason Reason, IReadOnlyList<FsmAction> Actions)
{
    public bool Changed => From != State;
}
