using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// One capability TLV from an OPEN (RFC 5492 §4). The value is kept as received, so unknown
/// capabilities survive decode and re-encode unchanged; typed readers sit beside it.
/// </summary>
public sealed class BgpCapability(CapabilityCode code, ReadOnlyMemory<byte> value)
{
    public CapabilityCode Code { get; } = code;
    public ReadOnlyMemory<byte> Value { get; } = value;

    public int EncodedLength => 2 + Value.Length;

    /* RFC 4760 §8
       0       7      15      23      31
       +-------+-------+-------+-------+
       |      AFI      | Res.  | SAFI  |
       +-------+-------+-------+-------+                                    */
    public static BgpCapability Multiprotocol(Afi afi, Safi safi) =>
        new(CapabilityCode.Multiprotocol, new byte[] { (byte)((ushort)afi >> 8), (byte)afi, 0, (byte)safi });

    public static BgpCapability RouteRefresh() => new(CapabilityCode.RouteRefresh, ReadOnlyMemory<byte>.Empty);

    public static BgpCapability FourOctetAs(uint asn)
    {
        var v = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, asn);
        return new(CapabilityCode.FourOctetAs, v);
    }

    public static BgpCapability GracefulRestart(GracefulRestartCapability gr)
    {
        ArgumentNullException.ThrowIfNull(gr);
        return new(CapabilityCode.GracefulRestart, gr.ToBytes());
    }

    public bool TryGetMultiprotocol(out Afi afi, out Safi safi)
    {
        afi = default;
        safi = default;
        if (Code != CapabilityCode.Multiprotocol || Value.Length != 4)
            return false;
        var v = Value.Span;
        afi = (Afi)BinaryPrimitives.ReadUInt16BigEndian(v);
        safi = (Safi)v[3];
        return true;
    }

    public bool TryGetFourOctetAs(out uint asn)
    {
        asn = 0;
        if (Code != CapabilityCode.FourOctetAs || Value.Length != 4)
            return false;
        asn = BinaryPrimitives.ReadUInt32BigEndian(Value.Span);
        return true;
    }

    public int Write(Span<byte> destination)
    {
        destination[0] = (byte)Code;
        destination[1] = (byte)Value.Length;
        Value.Span.CopyTo(destination[2..]);
        return EncodedLength;
    }

    public override string ToString() => $"{Code}({Convert.ToHexString(Value.Span)})";
}
