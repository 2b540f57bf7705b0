using System.Buffers.Binary;
using System.Globalization;

namespace MetalLb.Net.Layer2.Wire;

/// <summary>A 48-bit IEEE 802 MAC address held in a ulong so it compares and hashes for free.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public const int Size = 6;

    public static MacAddress Broadcast { get; } = new(0xFFFF_FFFF_FFFFUL);

    public static MacAddress Zero { get; } = new(0);

    public bool IsBroadcast => Value == Broadcast.Value;

    /// <summary>The I/G bit of the first octet: set for group (multicast and broadcast) addresses.</summary>
    public bool IsMulticast => (Value & 0x0100_0000_0000UL) != 0;

    public static MacAddress Read(ReadOnlySpan<byte> source)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, Size);
        return new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(source) << 32)
                   | BinaryPrimitives.ReadUInt32BigEndian(source[2..]));
    }

    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)Value);
    }

    /// <summary>RFC 2464 §7: IPv6 multicast maps to 33:33 followed by the low 32 bits of the group.</summary>
    public static MacAddress ForIpv6Multicast(ReadOnlySpan<byte> group)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(group.Length, 16);
        return new(0x3333_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(group[12..]));
    }

    public static MacAddress ForIpv6Multicast(UInt128 group) => new(0x3333_0000_0000UL | (uint)group);

    /// <summary>Parses "aa:bb:cc:dd:ee:ff" (or with '-'), the forms ip, arping and ndisc6 print.</summary>
    public static bool TryParse(string? text, out MacAddress mac)
    {
        mac = default;
        if (text is null || text.Length != 17)
            return false;
        ulong value = 0;
        for (int i = 0; i < 6; i++)
        {
            if (i > 0 && text[(i * 3) - 1] is not (':' or '-'))
                return false;
            if (!byte.TryParse(text.AsSpan(i * 3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
                return false;
            value = (value << 8) | b;
        }
        mac = new(value);
        return true;
    }

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[Size];
        Write(b);
        return string.Create(CultureInfo.InvariantCulture,
            $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}");
    }
}
