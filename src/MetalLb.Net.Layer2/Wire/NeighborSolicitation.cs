using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/*  RFC 4861 §4.3, Neighbor Solicitation Message Format (the ICMPv6 message):

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |     Type (135)|     Code (0)  |          Checksum             |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                           Reserved                            |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                       Target Address (128)                    |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |   Options ...
    +-+-+-+-+-+-+-+-+-+-+-+-+-                                        */

/// <summary>A Neighbor Solicitation with its source link-layer address option, when present.</summary>
public readonly record struct NeighborSolicitation(UInt128 Target, MacAddress? SourceLinkLayerAddress)
{
    public const byte IcmpType = 135;
    public const int MinimumSize = 24;

    /// <summary>
    /// Reads the ICMPv6 message. The checksum and the IP-level checks of §7.1.1 (hop limit 255,
    /// unspecified source only towards a solicited-node group) need the IPv6 header and are made by
    /// the caller; here: type, code 0, length >= 24, target not multicast, every option well formed.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> icmp, out NeighborSolicitation message)
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
            icmp[MinimumSize..], NdpOptionType.SourceLinkLayerAddress, out var source);
        if (status != OperationStatus.Done)
            return status;
        message = new NeighborSolicitation(target, source);
        return OperationStatus.Done;
    }

    public int GetEncodedLength() =>
        MinimumSize + (SourceLinkLayerAddress is null ? 0 : NdpOptions.LinkLayerAddressOptionSize);

    /// <summary>Writes the message with its checksum; tests and the benchmark use it to solicit us.</summary>
    public int Write(Span<byte> destination, UInt128 ipSource, UInt128 ipDestination)
    {
        int length = GetEncodedLength();
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length);
        destination[0] = IcmpType;
        destination[1] = 0;
        destination[2..8].Clear(); // checksum (filled below) and Reserved
        BinaryPrimitives.WriteUInt128BigEndian(destination[8..], Target);
        if (SourceLinkLayerAddress is { } mac)
            NdpOptions.WriteLinkLayerAddress(destination[MinimumSize..], NdpOptionType.SourceLinkLayerAddress, mac);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..],
            InternetChecksum.ComputeIcmpv6(ipSource, ipDestination, destination[..length]));
        return length;
    }
}
