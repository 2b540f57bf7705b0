namespace MetalLb.Net.Bgp.Wire;

/// <summary>Address Family Identifier (IANA; RFC 4760 §3). Append only: values are on the wire.</summary>
public enum Afi : ushort
{
    IPv4 = 1,
    IPv6 = 2,
}

/// <summary>Subsequent Address Family Identifier (RFC 4760 §6). Append only: values are on the wire.</summary>
public enum Safi : byte
{
    Unicast = 1,
}
