namespace MetalLb.Net.Bgp.Fsm;

/// <summary>Session states (RFC 4271 §8.2.2).</summary>
public enum BgpState
{
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
}
