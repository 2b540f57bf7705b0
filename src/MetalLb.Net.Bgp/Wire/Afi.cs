namespace MetalLb.Net.Bgp.Wire;

/// <summary>Address Family Identifier (IANA; RFC 4760 §3). Append only: values are on the wire.</summary>
public enum Afi : ushort
{
    IPv4 = 1,
    IPv6 = 2,
}
