using System.Buffers;

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
    public const int MinimumSize = NeighborDiscoveryMessage.MinimumSize;

    public static OperationStatus TryRead(ReadOnlySpan<byte> icmp, out NeighborAdvertisement message)
    {
        message = default;
        var status = NeighborDiscoveryMessage.TryRead(
            icmp, IcmpType, NdpOptionType.TargetLinkLayerAddress, out byte flags, out var target, out var mac);
        if (status == OperationStatus.Done)
            message = new NeighborAdvertisement((flags & 0x80) != 0, (flags & 0x40) != 0, (flags & 0x20) != 0, target, mac);
        return status;
    }

    public int GetEncodedLength() => NeighborDiscoveryMessage.EncodedLength(TargetLinkLayerAddress);

    /// <summary>Writes the message; the checksum covers the pseudo-header, so it needs both IPs.</summary>
    public int Write(Span<byte> destination, UInt128 ipSource, UInt128 ipDestination) =>
        NeighborDiscoveryMessage.Write(destination, IcmpType,
            (byte)((Router ? 0x80 : 0) | (Solicited ? 0x40 : 0) | (Override ? 0x20 : 0)),
            Target, NdpOptionType.TargetLinkLayerAddress, TargetLinkLayerAddress, ipSource, ipDestination);
}
