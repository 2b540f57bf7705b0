using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Session;

/// <summary>Raised on every FSM state change.</summary>
public sealed record BgpPeerStateChange(string Name, BgpState From, BgpState To, TransitionReason Reason, BgpError Error);
