using System.Buffers.Binary;

namespace MetalLb.Net.Layer2.Wire;

/// <summary>
/// The Internet checksum (RFC 1071) and the ICMPv6 form of it over the IPv6 pseudo-header
/// (RFC 8200 §8.1, RFC 4443 §2.3). A received packet is valid when the sum over it, checksum
/// field included, is zero.
/// </summary>
public static class InternetChecksum
{
    public static ushort ComputeIcmpv6(UInt128 source, UInt128 destination, ReadOnlySpan<byte> icmp)
    {
        ulong sum = 0;
        sum = AddWords(sum, source);
        sum = AddWords(sum, destination);
        sum += (uint)icmp.Length;          // upper-layer packet length (32 bits)
        sum += Ipv6Header.NextHeaderIcmpv6; // three zero octets then Next Header
        sum = Add(sum, icmp);
        return Fold(sum);
    }

    public static ushort Compute(ReadOnlySpan<byte> data) => Fold(Add(0, data));

    private static ulong AddWords(ulong sum, UInt128 value)
    {
        for (int shift = 0; shift < 128; shift += 16)
            sum += (ushort)(value >> shift);
        return sum;
    }

    private static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)data[i] << 8; // odd length: pad with a zero octet
        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
