using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>ROUTE-REFRESH (RFC 2918 §3; the reserved octet is the RFC 7313 subtype).</summary>
public sealed class RouteRefreshMessage(Afi afi, byte subtype, Safi safi) : BgpMessage
{
    public Afi Afi { get; } = afi;
    public byte Subtype { get; } = subtype;
    public Safi Safi { get; } = safi;
    public override BgpMessageType Type => BgpMessageType.RouteRefresh;

    /* RFC 2918 §3
        0       7      15      23      31
        +-------+-------+-------+-------+
        |      AFI      | Res.  | SAFI  |
        +-------+-------+-------+-------+                                  */
    public static RouteRefreshMessage DecodeBody(ReadOnlySpan<byte> body) =>
        new((Afi)BinaryPrimitives.ReadUInt16BigEndian(body), body[2], (Safi)body[3]);

    protected override int GetBodyLength() => 4;

    protected override int WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Afi);
        destination[2] = Subtype;
        destination[3] = (byte)Safi;
        return 4;
    }
}
