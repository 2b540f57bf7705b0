using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>The fixed 19-byte header in front of every BGP message.</summary>
public readonly record struct BgpHeader(ushort Length, BgpMessageType Type)
{
    public const int Size = 19;
    public const int MaxMessageLength = 4096;

    /* RFC 4271 §4.1
        0                   1                   2                   3
        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       |                                                               |
       +                                                               +
       |                           Marker                              |
       +                                                               +
       |                                                               |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       |          Length               |      Type     |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    */
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out BgpHeader header, out BgpError error)
    {
        header = default;
        error = default;
        if (source.Length < Size)
            return OperationStatus.NeedMoreData;
        if (source[..16].IndexOfAnyExcept((byte)0xFF) >= 0)
        {
            error = BgpError.ConnectionNotSynchronized;
            return OperationStatus.InvalidData;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(source[16..]);
        var type = source[18];
        if (type is < 1 or > 5)
        {
            error = BgpError.BadMessageType(type);
            return OperationStatus.InvalidData;
        }
        // §6.1: the length must fit the type's fixed part; KEEPALIVE is exactly 19 and
        // ROUTE-REFRESH exactly 23 (RFC 2918 §3).
        var ok = length <= MaxMessageLength && (BgpMessageType)type switch
        {
            BgpMessageType.Open => length >= 29,
            BgpMessageType.Update => length >= 23,
            BgpMessageType.Notification => length >= 21,
            BgpMessageType.Keepalive => length == 19,
            _ => length == 23,
        };
        if (!ok)
        {
            error = BgpError.BadMessageLength(length);
            return OperationStatus.InvalidData;
        }
        header = new BgpHeader(length, (BgpMessageType)type);
        return OperationStatus.Done;
    }

    public static void Write(Span<byte> destination, int length, BgpMessageType type)
    {
        destination[..16].Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], checked((ushort)length));
        destination[18] = (byte)type;
    }
}
