using System.Net;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// What a session knows that shapes the UPDATEs it sends: our ASN, iBGP or eBGP, whether
/// 4-octet ASNs were negotiated, and our next hop per address family ("next-hop self").
/// </summary>
public sealed record UpdateEncodingContext(
    uint LocalAs, bool IsInternal, bool FourOctetAs, IPAddress? NextHopIPv4, IPAddress? NextHopIPv6)
{
    /// <summary>RFC 4271 §4.1 maximum; we do not negotiate RFC 8654 extended messages.</summary>
    public int MaxMessageLength { get; init; } = BgpHeader.MaxMessageLength;
}
