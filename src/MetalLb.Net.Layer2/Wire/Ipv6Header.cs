using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/*  RFC 8200 §3, IPv6 Header Format:

    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |Version| Traffic Class |           Flow Label                  |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |         Payload Length        |  Next Header  |   Hop Limit   |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                         Source Address (128)                  |
    |                      Destination Address (128)                |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  */

/// <summary>The fixed 40-byte IPv6 header. Extension headers are not walked: NDP never uses them.</summary>
public readonly record struct Ipv6Header(
    ushort PayloadLength, byte NextHeader, byte HopLimit, UInt128 Source, UInt128 Destination)
{
    public const int Size = 40;
    public const byte NextHeaderIcmpv6 = 58;

    /// <summary>
    /// Reads the header and checks Payload Length against the bytes we actually have; the payload is
    /// then exactly <c>source.Slice(Size, PayloadLength)</c>, any Ethernet padding after it excluded.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out Ipv6Header header)
    {
        header = default;
        if (source.Length < Size)
            return OperationStatus.NeedMoreData;
        if (source[0] >> 4 != 6)
            return OperationStatus.InvalidData;
        ushort payloadLength = BinaryPrimitives.ReadUInt16BigEndian(source[4..]);
        if (source.Length - Size < payloadLength)
            return OperationStatus.NeedMoreData;
        header = new Ipv6Header(
            payloadLength,
            source[6],
            source[7],
            BinaryPrimitives.ReadUInt128BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt128BigEndian(source[24..]));
        return OperationStatus.Done;
    }

    public int Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        BinaryPrimitives.WriteUInt32BigEndian(destination, 0x6000_0000); // version 6, class 0, flow 0
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], PayloadLength);
        destination[6] = NextHeader;
        destination[7] = HopLimit;
        BinaryPrimitives.WriteUInt128BigEndian(destination[8..], Source);
        BinaryPrimitives.WriteUInt128BigEndian(destination[24..], Destination);
        return Size;
    }
}
