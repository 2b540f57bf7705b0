using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// An IPv4 or IPv6 prefix. The address is right-aligned in 128 bits (IPv4 in the low 32 bits)
/// with the host bits cleared, so prefixes compare and hash cheaply in the RIB. It is stored as
/// two ulongs, not a UInt128: UInt128 is 16-byte aligned, which made this struct 48 bytes
/// instead of 24, and the RIB holds one per announced prefix.
/// </summary>
public readonly record struct NlriPrefix : IComparable<NlriPrefix>
{
    public NlriPrefix(Afi afi, UInt128 address, int length)
    {
        var bits = afi == Afi.IPv4 ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, bits);
        Afi = afi;
        Length = (byte)length;
        var masked = length == 0 ? 0 : address & (~UInt128.Zero << (bits - length)) & Max(afi);
        _high = (ulong)(masked >> 64);
        _low = (ulong)masked;
    }

    /// <summary>An IPv4 prefix already masked (the RIB's packed form): no checks, no 128-bit masking.</summary>
    internal NlriPrefix(uint maskedIPv4, byte length)
    {
        Afi = Afi.IPv4;
        Length = length;
        _low = maskedIPv4;
    }

    private readonly ulong _high;
    private readonly ulong _low;

    public Afi Afi { get; }
    public UInt128 Address => new(_high, _low);
    public byte Length { get; }
    public int MaxLength => Afi == Afi.IPv4 ? 32 : 128;

    private static UInt128 Max(Afi afi) => afi == Afi.IPv4 ? uint.MaxValue : UInt128.MaxValue;

    public static NlriPrefix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var ip = IPAddress.Parse(slash < 0 ? text : text[..slash]);
        var v4 = ip.AddressFamily == AddressFamily.InterNetwork;
        var len = slash < 0 ? (v4 ? 32 : 128) : int.Parse(text[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return FromAddress(ip, len);
    }

    public static NlriPrefix FromAddress(IPAddress address, int length)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var n);
        return n == 4
            ? new NlriPrefix(Afi.IPv4, BinaryPrimitives.ReadUInt32BigEndian(b), length)
            : new NlriPrefix(Afi.IPv6, BinaryPrimitives.ReadUInt128BigEndian(b), length);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> b = stackalloc byte[16];
        if (Afi == Afi.IPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, (uint)Address);
            return new IPAddress(b[..4]);
        }
        BinaryPrimitives.WriteUInt128BigEndian(b, Address);
        return new IPAddress(b);
    }

    /// <summary>Bytes this prefix takes in an NLRI field: length octet plus the significant octets.</summary>
    public int EncodedLength => 1 + (Length + 7) / 8;

    /* RFC 4271 §4.3 (and RFC 4760 §5 for MP_REACH/MP_UNREACH)
       +---------------------------+
       |   Length (1 octet)        |
       +---------------------------+
       |   Prefix (variable)       |
       +---------------------------+
       Trailing bits of the last octet are irrelevant; we clear them.            */
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, Afi afi, out NlriPrefix prefix, out int consumed)
    {
        prefix = default;
        consumed = 0;
        if (source.IsEmpty)
            return OperationStatus.NeedMoreData;
        int length = source[0];
        var max = afi == Afi.IPv4 ? 32 : 128;
        if (length > max)
            return OperationStatus.InvalidData;
        var octets = (length + 7) / 8;
        if (source.Length < 1 + octets)
            return OperationStatus.InvalidData;
        Span<byte> full = stackalloc byte[16];
        full.Clear();
        source.Slice(1, octets).CopyTo(full);
        var address = afi == Afi.IPv4
            ? BinaryPrimitives.ReadUInt32BigEndian(full)
            : BinaryPrimitives.ReadUInt128BigEndian(full);
        prefix = new NlriPrefix(afi, address, length);
        consumed = 1 + octets;
        return OperationStatus.Done;
    }

    public int Write(Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[16];
        if (Afi == Afi.IPv4)
            BinaryPrimitives.WriteUInt32BigEndian(full, (uint)Address);
        else
            BinaryPrimitives.WriteUInt128BigEndian(full, Address);
        var octets = (Length + 7) / 8;
        destination[0] = Length;
        full[..octets].CopyTo(destination[1..]);
        return 1 + octets;
    }

    public int CompareTo(NlriPrefix other)
    {
        // Compare as integers: Enum.CompareTo boxes, and the RIB sorts 100,000s of prefixes.
        var c = ((ushort)Afi).CompareTo((ushort)other.Afi);
        if (c == 0)
            c = _high.CompareTo(other._high);
        if (c == 0)
            c = _low.CompareTo(other._low);
        return c != 0 ? c : Length.CompareTo(other.Length);
    }

    public static bool operator <(NlriPrefix left, NlriPrefix right) => left.CompareTo(right) < 0;
    public static bool operator <=(NlriPrefix left, NlriPrefix right) => left.CompareTo(right) <= 0;
    public static bool operator >(NlriPrefix left, NlriPrefix right) => left.CompareTo(right) > 0;
    public static bool operator >=(NlriPrefix left, NlriPrefix right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{ToIPAddress()}/{Length}";
}
