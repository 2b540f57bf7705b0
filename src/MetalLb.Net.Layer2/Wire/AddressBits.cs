using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Layer2.Wire;

/// <summary>
/// IPv4 addresses as a big-endian uint and IPv6 as a big-endian UInt128: the hot path compares and
/// hashes these without allocating an IPAddress per frame.
/// </summary>
public static class AddressBits
{
    public static uint ToUInt32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("Not an IPv4 address.", nameof(address));
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    public static UInt128 ToUInt128(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException("Not an IPv6 address.", nameof(address));
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(b);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return new IPAddress(b);
    }

    public static IPAddress FromUInt128(UInt128 value)
    {
        Span<byte> b = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(b, value);
        return new IPAddress(b);
    }

    /// <summary>RFC 4291 §2.7.1: ff02::1:ff00:0/104 plus the low 24 bits of the unicast address.</summary>
    public static UInt128 SolicitedNodeMulticast(UInt128 unicast) =>
        new UInt128(0xFF02_0000_0000_0000UL, 0x0000_0001_FF00_0000UL) | (unicast & 0xFF_FFFFUL);

    /// <summary>ff02::1, the all-nodes group unsolicited advertisements go to (RFC 4861 §7.2.6).</summary>
    public static UInt128 AllNodes { get; } = new(0xFF02_0000_0000_0000UL, 1);

    public static bool IsIpv6Multicast(UInt128 address) => (address >> 120) == 0xFF;

    /// <summary>fe80::/10, the link-local unicast prefix (RFC 4291 §2.5.6).</summary>
    public static bool IsIpv6LinkLocal(UInt128 address) => (address >> 118) == (0xFE80 >> 6);
}
