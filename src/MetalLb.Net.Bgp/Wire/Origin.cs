namespace MetalLb.Net.Bgp.Wire;

/// <summary>ORIGIN values (RFC 4271 §5.1.1). Append only: values are on the wire.</summary>
public enum Origin : byte
{
    Igp = 0,
    Egp = 1,
    Incomplete = 2,
}
