namespace MetalLb.Net.Bgp.Wire;

/// <summary>Subsequent Address Family Identifier (RFC 4760 §6). Append only: values are on the wire.</summary>
public enum Safi : byte
{
    Unicast = 1,
}
