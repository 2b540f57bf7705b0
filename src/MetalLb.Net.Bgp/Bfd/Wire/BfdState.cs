namespace MetalLb.Net.Bgp.Bfd.Wire;

/// <summary>The Sta field (RFC 5880 §4.1). Append only: values are on the wire.</summary>
public enum BfdState : byte
{
    AdminDown = 0,
    Down = 1,
    Init = 2,
    Up = 3,
}
