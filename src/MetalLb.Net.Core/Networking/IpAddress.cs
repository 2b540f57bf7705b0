using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Core.Networking;

/// <summary>
/// An IPv4 or IPv6 address as a number, so ranges and prefixes are arithmetic and nothing ever
/// enumerates a range. IPv4 values occupy the low 32 bits.
/// </summary>
public readonly record struct IpAddress(UInt128 Value, IpFamily Family) : IComparable<IpAddress>
{
    public int Bits => Family.Bits();

    /// <summary>The largest value of this family (255.255.255.255 or ffff:...:ffff).</summary>
    public static UInt128 MaxValue(IpFamily family) =>
        family == IpFamily.IPv4 ? uint.MaxValue : UInt128.MaxValue;

    /// <summary>
    /// Strict parse, as Go's net.ParseIP: IPv4 is four decimal octets without leading zeros;
    /// IPv6 is RFC 4291 text (embedded IPv4 allowed, zones not). IPv4-mapped IPv6
    /// (::ffff:a.b.c.d) is IPv4, as Go treats it. Surrounding spaces are an error.
    /// </summary>
    public static bool TryParse(string? text, out IpAddress address) => TryParse(text, mapIPv4: true, out address);

    /// <summary>
    /// <paramref name="mapIPv4"/> false keeps ::ffff:a.b.c.d as IPv6: in a CIDR ("::ffff:0:0/96")
    /// the prefix length is counted in IPv6 bits, as Go's ParseCIDR does.
    /// </summary>
    internal static bool TryParse(string? text, bool mapIPv4, out IpAddress address)
    {
        address = default;
        if (string.IsNullOrEmpty(text)) return false;
        if (!text.Contains(':', StringComparison.Ordinal))
            return TryParseV4(text, out address);
        foreach (char c in text)
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.')) return false;   // no zones, brackets or spaces
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        if (mapIPv4 && ip.IsIPv4MappedToIPv6)
        {
            address = FromIPAddress(ip.MapToIPv4());
            return true;
        }
        address = FromIPAddress(ip);
        return true;
    }

    public static IpAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"\"{text}\" is not an IP address");

    private static bool TryParseV4(string text, out IpAddress address)
    {
        // Spans, not Split: a speaker parses every ingress IP of every service on each resync.
        address = default;
        var rest = text.AsSpan();
        uint value = 0;
        for (int octets = 0; octets < 4; octets++)
        {
            int dot = rest.IndexOf('.');
            if ((dot < 0) != (octets == 3)) return false;   // exactly three dots
            var part = dot < 0 ? rest : rest[..dot];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')) return false;
            uint octet = 0;
            foreach (char c in part)
            {
                if (!char.IsAsciiDigit(c)) return false;
                octet = octet * 10 + (uint)(c - '0');
            }
            if (octet > 255) return false;
            value = (value << 8) | octet;
            rest = dot < 0 ? [] : rest[(dot + 1)..];
        }
        address = new IpAddress(value, IpFamily.IPv4);
        return true;
    }

    public static IpAddress FromIPAddress(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out int written);
        UInt128 value = 0;
        for (int i = 0; i < written; i++) value = (value << 8) | bytes[i];
        return new IpAddress(value, written == 4 ? IpFamily.IPv4 : IpFamily.IPv6);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[Family == IpFamily.IPv4 ? 4 : 16];
        UInt128 v = Value;
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(v & 0xFF);
            v >>= 8;
        }
        return new IPAddress(bytes);
    }

    /// <summary>avoidBuggyIPs: IPv4 addresses ending in .0 or .255 (old Windows clients drop them).</summary>
    public bool IsBuggy => Family == IpFamily.IPv4 && ((uint)Value & 0xFF) is 0 or 0xFF;

    public IpAddress Next() => this with { Value = Value + 1 };

    public int CompareTo(IpAddress other) =>
        Family != other.Family ? Family.CompareTo(other.Family) : Value.CompareTo(other.Value);

    public static bool operator <(IpAddress a, IpAddress b) => a.CompareTo(b) < 0;
    public static bool operator >(IpAddress a, IpAddress b) => a.CompareTo(b) > 0;
    public static bool operator <=(IpAddress a, IpAddress b) => a.CompareTo(b) <= 0;
    public static bool operator >=(IpAddress a, IpAddress b) => a.CompareTo(b) >= 0;

    /// <summary>Dotted quad, or RFC 5952 text for IPv6 (the form Go's net.IP.String() prints).</summary>
    public override string ToString()
    {
        if (Family == IpFamily.IPv4)
        {
            uint v = (uint)Value;
            return string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}");
        }
        return FormatV6(Value);
    }

    private static string FormatV6(UInt128 value)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 7; i >= 0; i--) { groups[i] = (ushort)(value & 0xFFFF); value >>= 16; }
        // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first on ties.
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        Span<char> text = stackalloc char[39];
        int n = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart) { text[n++] = ':'; text[n++] = ':'; i += bestLen - 1; continue; }
            if (n > 0 && text[n - 1] != ':') text[n++] = ':';
            groups[i].TryFormat(text[n..], out int written, "x", CultureInfo.InvariantCulture);
            n += written;
        }
        return new string(text[..n]);
    }

    [SuppressMessage("Design", "CA1000", Justification = "factory on the value type")]
    public static IpAddress V4(uint value) => new(value, IpFamily.IPv4);
}
