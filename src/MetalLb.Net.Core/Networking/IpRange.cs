namespace MetalLb.Net.Core.Networking;

/// <summary>An inclusive range of addresses of one family, first ≤ last.</summary>
public readonly record struct IpRange(IpAddress First, IpAddress Last)
{
    public IpFamily Family => First.Family;

    public bool Contains(IpAddress address) =>
        address.Family == Family && address.Value >= First.Value && address.Value <= Last.Value;

    /// <summary>
    /// The minimal list of CIDRs that exactly covers the range, in ascending order (upstream
    /// splits from-to ranges the same way, so overlap checks and aggregation lengths compare
    /// blocks). At most 2 × bits blocks: nothing here walks the addresses.
    /// </summary>
    public IReadOnlyList<IpPrefix> ToPrefixes()
    {
        var result = new List<IpPrefix>();
        int bits = First.Bits;
        UInt128 start = First.Value, end = Last.Value;
        while (true)
        {
            // Largest block aligned at start that does not pass end.
            int hostBits = start == 0 ? bits : Math.Min(bits, (int)UInt128.TrailingZeroCount(start));
            while (hostBits > 0 && (hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1) > end - start)
                hostBits--;
            var prefix = new IpPrefix(new IpAddress(start, Family), bits - hostBits);
            result.Add(prefix);
            UInt128 last = prefix.Last.Value;
            if (last >= end) break;
            start = last + 1;
        }
        return result;
    }

    public override string ToString() => $"{First}-{Last}";
}
