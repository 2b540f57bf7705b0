using System.Globalization;

namespace MetalLb.Net.Core.Networking;

/// <summary>
/// A CIDR block: the network address (host bits zero) and the prefix length. Containment and
/// size are arithmetic, so a /64 costs what a /30 costs.
/// </summary>
public readonly record struct IpPrefix(IpAddress Network, int Length)
{
    public IpFamily Family => Network.Family;

    /// <summary>Number of host bits: 2^HostBits addresses in the block.</summary>
    public int HostBits => Network.Bits - Length;

    public IpAddress First => Network;

    public IpAddress Last => Network with { Value = Network.Value | HostMask(Network.Family, Length) };

    /// <summary>The block containing <paramref name="address"/> with this length (host bits cleared).</summary>
    public static IpPrefix Of(IpAddress address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, address.Bits);
        return new IpPrefix(address with { Value = address.Value & ~HostMask(address.Family, length) }, length);
    }

    /// <summary>Mask of the host part: the low (bits - length) bits set.</summary>
    public static UInt128 HostMask(IpFamily family, int length)
    {
        int hostBits = family.Bits() - length;
        return hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }

    public bool Contains(IpAddress address) =>
        address.Family == Family && address.Value >= First.Value && address.Value <= Last.Value;

    /// <summary>True when the blocks share any address; for CIDRs that means one contains the other.</summary>
    public bool Overlaps(IpPrefix other) =>
        other.Family == Family && other.First.Value <= Last.Value && First.Value <= other.Last.Value;

    /// <summary>
    /// Parses "address/length" as Go's net.ParseCIDR does: host bits are masked off
    /// (10.20.30.40/24 is 10.20.30.0/24); a bare address, a bad length or spaces are errors.
    /// </summary>
    public static bool TryParse(string? text, out IpPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrEmpty(text)) return false;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return false;
        if (!IpAddress.TryParse(text[..slash], mapIPv4: false, out var address)) return false;
        var lengthText = text[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit)) return false;
        if (lengthText.Length > 1 && lengthText[0] == '0') return false;
        int length = int.Parse(lengthText, CultureInfo.InvariantCulture);
        if (length > address.Bits) return false;
        prefix = Of(address, length);
        return true;
    }

    public static IpPrefix Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"\"{text}\" is not a CIDR");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Network}/{Length}");
}
