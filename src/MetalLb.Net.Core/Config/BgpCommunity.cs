using System.Globalization;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// A BGP community: standard (RFC 1997, two 16-bit halves, "65535:65282") or large
/// (RFC 8092, three 32-bit parts, written "large:1:2:3" as MetalLB does).
/// </summary>
public readonly record struct BgpCommunity(bool IsLarge, uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    public static BgpCommunity Standard(ushort high, ushort low) => new(false, high, low, 0);

    public static BgpCommunity Large(uint global, uint local1, uint local2) => new(true, global, local1, local2);

    /// <summary>The 32-bit value of a standard community (high &lt;&lt; 16 | low).</summary>
    public uint StandardValue => (GlobalAdministrator << 16) | LocalData1;

    /// <summary>Standard before large, then by value: the order routes carry them in.</summary>
    public static IComparer<BgpCommunity> Order { get; } = Comparer<BgpCommunity>.Create((a, b) =>
        a.IsLarge != b.IsLarge ? a.IsLarge.CompareTo(b.IsLarge)
        : a.GlobalAdministrator != b.GlobalAdministrator ? a.GlobalAdministrator.CompareTo(b.GlobalAdministrator)
        : a.LocalData1 != b.LocalData1 ? a.LocalData1.CompareTo(b.LocalData1)
        : a.LocalData2.CompareTo(b.LocalData2));

    public override string ToString() => IsLarge
        ? string.Create(CultureInfo.InvariantCulture, $"large:{GlobalAdministrator}:{LocalData1}:{LocalData2}")
        : string.Create(CultureInfo.InvariantCulture, $"{GlobalAdministrator}:{LocalData1}");
}
