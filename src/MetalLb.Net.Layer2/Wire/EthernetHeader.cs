using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/*  IEEE 802.3 / Ethernet II header as an AF_PACKET SOCK_RAW socket hands it to us
    (no preamble, no FCS; the kernel has already stripped a hardware-offloaded VLAN tag):

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                 Destination MAC (6 octets)                    |
    +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                               |                               |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
    |                   Source MAC (6 octets)                       |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |          EtherType            |  Payload ...
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                                 */

/// <summary>The 14-byte Ethernet II header.</summary>
public readonly record struct EthernetHeader(MacAddress Destination, MacAddress Source, EtherType EtherType)
{
    public const int Size = 14;

    public static OperationStatus TryRead(ReadOnlySpan<byte> frame, out EthernetHeader header)
    {
        header = default;
        if (frame.Length < Size)
            return OperationStatus.NeedMoreData;
        header = new EthernetHeader(
            MacAddress.Read(frame),
            MacAddress.Read(frame[6..]),
            (EtherType)BinaryPrimitives.ReadUInt16BigEndian(frame[12..]));
        return OperationStatus.Done;
    }

    public int Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        Destination.Write(destination);
        Source.Write(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], (ushort)EtherType);
        return Size;
    }
}
