using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/*  RFC 826, "Packet format", for Ethernet hardware and IPv4 protocol addresses:

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |      ar$hrd (1 = Ethernet)    |    ar$pro (0x0800 = IPv4)     |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    | ar$hln (6)    | ar$pln (4)    |            ar$op              |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |        ar$sha: sender hardware address (ar$hln octets)        |
    |        ar$spa: sender protocol address (ar$pln octets)        |
    |        ar$tha: target hardware address (ar$hln octets)        |
    |        ar$tpa: target protocol address (ar$pln octets)        |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  */

/// <summary>An Ethernet/IPv4 ARP packet; other hardware or protocol types are InvalidData.</summary>
public readonly record struct ArpPacket(
    ArpOperation Operation,
    MacAddress SenderHardwareAddress,
    uint SenderProtocolAddress,
    MacAddress TargetHardwareAddress,
    uint TargetProtocolAddress)
{
    public const int Size = 28;
    private const ushort HardwareEthernet = 1;

    /// <summary>
    /// Reads an ARP packet (the Ethernet payload). Trailing bytes are Ethernet padding and ignored.
    /// The length fields are checked against what we can parse rather than trusted, so a packet
    /// claiming other sizes never makes us read past the buffer.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out ArpPacket packet)
    {
        packet = default;
        if (source.Length < 8)
            return OperationStatus.NeedMoreData;
        if (BinaryPrimitives.ReadUInt16BigEndian(source) != HardwareEthernet
            || BinaryPrimitives.ReadUInt16BigEndian(source[2..]) != (ushort)EtherType.IPv4
            || source[4] != MacAddress.Size || source[5] != 4)
            return OperationStatus.InvalidData;
        var op = (ArpOperation)BinaryPrimitives.ReadUInt16BigEndian(source[6..]);
        if (op is not (ArpOperation.Request or ArpOperation.Reply))
            return OperationStatus.InvalidData;
        if (source.Length < Size)
            return OperationStatus.NeedMoreData;
        packet = new ArpPacket(
            op,
            MacAddress.Read(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[14..]),
            MacAddress.Read(source[18..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[24..]));
        return OperationStatus.Done;
    }

    public int Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        BinaryPrimitives.WriteUInt16BigEndian(destination, HardwareEthernet);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)EtherType.IPv4);
        destination[4] = MacAddress.Size;
        destination[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Operation);
        SenderHardwareAddress.Write(destination[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[14..], SenderProtocolAddress);
        TargetHardwareAddress.Write(destination[18..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], TargetProtocolAddress);
        return Size;
    }
}
