using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/*  RFC 4861 §4.4, Neighbor Advertisement Message Format (the ICMPv6 message):

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |     Type (136)|     Code (0)  |          Checksum             |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |R|S|O|                     Reserved                            |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                       Target Address (128)                    |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |   Options ...
    +-+-+-+-+-+-+-+-+-+-+-+-+-                                        */

/// <summary>A Neighbor Advertisement with its target link-layer address option, when present.</summary>
public readonly record struct NeighborAdvertisement(
    bool Router, bool Solicited, bool Override, UInt128 Target, MacAddress? TargetLinkLayerAddress)
{
    public const byte IcmpType = 136;
    public const int MinimumSize = 24;

    public static OperationStatus TryRead(ReadOnlySpan<byte> icmp, out NeighborAdvertisement message)
    {
        message = default;
        if (icmp.Length < MinimumSize)
            return OperationStatus.NeedMoreData;
        if (icmp[0] != IcmpType || icmp[1] != 0)
            return OperationStatus.InvalidData;
        var target = BinaryPrimitives.ReadUInt128BigEndian(icmp[8..]);
        if (AddressBits.IsIpv6Multicast(target))
            return OperationStatus.InvalidData;
        var status = NdpOptions.TryFindLinkLayerAddress(
            icmp[MinimumSize..], NdpOptionType.TargetLinkLayerAddress, out var mac);
        if (status != OperationStatus.Done)
            return status;
        byte flags = icmp[4];
        message = new NeighborAdvertisement(
            (flags & 0x80) != 0, (flags & 0x40) != 0, (flags & 0x20) != 0, target, mac);
        return OperationStatus.Done;
    }

    public int GetEncodedLength() =>
        MinimumSize + (TargetLinkLayerAddress is null ? 0 : NdpOptions.LinkLayerAddressOptionSize);

    /// <summary>Writes the message; the checksum covers the pseudo-header, so it needs both IPs.</summary>
    public int Write(Span<byte> destination, UInt128 ipSource, UInt128 ipDestination)
    {
        int length = GetEncodedLength();
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length);
        destination[0] = IcmpType;
        destination[1] = 0;
        destination[2..8].Clear();
        destination[4] = (byte)((Router ? 0x80 : 0) | (Solicited ? 0x40 : 0) | (Override ? 0x20 : 0));
        BinaryPrimitives.WriteUInt128BigEndian(destination[8..], Target);
        if (TargetLinkLayerAddress is { } mac)
            NdpOptions.WriteLinkLayerAddress(destination[MinimumSize..], NdpOptionType.TargetLinkLayerAddress, mac);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..],
            InternetChecksum.ComputeIcmpv6(ipSource, ipDestination, destination[..length]));
        return length;
    }
}
