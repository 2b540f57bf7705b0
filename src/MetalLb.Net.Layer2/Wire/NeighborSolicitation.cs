using System.Buffers;

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
    public const int MinimumSize = NeighborDiscoveryMessage.MinimumSize;

    /// <summary>
    /// Reads the ICMPv6 message. The checksum and the IP-level checks of §7.1.1 (hop limit 255,
    /// unspecified source only towards a solicited-node group) need the IPv6 header and are made by
    /// the caller; here: type, code 0, length >= 24, target not multicast, every option well formed.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> icmp, out NeighborSolicitation message)
    {
        message = default;
        var status = NeighborDiscoveryMessage.TryRead(
            icmp, IcmpType, NdpOptionType.SourceLinkLayerAddress, out _, out var target, out var source);
        if (status == OperationStatus.Done)
            message = new NeighborSolicitation(target, source);
        return status;
    }

    public int GetEncodedLength() => NeighborDiscoveryMessage.EncodedLength(SourceLinkLayerAddress);

    /// <summary>Writes the message with its checksum; tests and the benchmark use it to solicit us.</summary>
    public int Write(Span<byte> destination, UInt128 ipSource, UInt128 ipDestination) =>
        NeighborDiscoveryMessage.Write(destination, IcmpType, 0, Target,
            NdpOptionType.SourceLinkLayerAddress, SourceLinkLayerAddress, ipSource, ipDestination);
}
