using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/* RFC 4861 §4.3 and §4.4 share one layout; only the type, the flags word and the option differ.
    | Type | Code | Checksum | flags/Reserved (32) | Target Address (128) | Options ... |   */

/// <summary>The part of reading and writing NS and NA that the two messages share.</summary>
internal static class NeighborDiscoveryMessage
{
    public const int MinimumSize = 24;

    /// <summary>
    /// Type, code 0, length, a target that is not multicast, and every option well formed,
    /// returning the flags byte, the target and the link-layer option of the given type.
    /// </summary>
    public static OperationStatus TryRead(
        ReadOnlySpan<byte> icmp, byte type, NdpOptionType option, out byte flags, out UInt128 target, out MacAddress? mac)
    {
        flags = 0;
        target = 0;
        mac = null;
        if (icmp.Length < MinimumSize)
            return OperationStatus.NeedMoreData;
        if (icmp[0] != type || icmp[1] != 0)
            return OperationStatus.InvalidData;
        target = BinaryPrimitives.ReadUInt128BigEndian(icmp[8..]);
        if (AddressBits.IsIpv6Multicast(target))
            return OperationStatus.InvalidData;
        flags = icmp[4];
        return NdpOptions.TryFindLinkLayerAddress(icmp[MinimumSize..], option, out mac);
    }

    public static int EncodedLength(MacAddress? mac) =>
        MinimumSize + (mac is null ? 0 : NdpOptions.LinkLayerAddressOptionSize);

    /// <summary>Writes the message with its checksum, which covers the IPv6 pseudo-header.</summary>
    public static int Write(
        Span<byte> destination, byte type, byte flags, UInt128 target, NdpOptionType option, MacAddress? mac,
        UInt128 ipSource, UInt128 ipDestination)
    {
        int length = EncodedLength(mac);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length);
        destination[0] = type;
        destination[1] = 0;
        destination[2..8].Clear(); // checksum (filled below), flags and Reserved
        destination[4] = flags;
        BinaryPrimitives.WriteUInt128BigEndian(destination[8..], target);
        if (mac is { } address)
            NdpOptions.WriteLinkLayerAddress(destination[MinimumSize..], option, address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..],
            InternetChecksum.ComputeIcmpv6(ipSource, ipDestination, destination[..length]));
        return length;
    }
}
