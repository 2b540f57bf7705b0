namespace MetalLb.Net.Core.Networking;

/// <summary>
/// One entry of IPAddressPool.spec.addresses: a CIDR or a from-to range, with the CIDRs that
/// cover it. Allocation walks <see cref="Prefixes"/> in order.
/// </summary>
public sealed record AddressBlock(string Text, IReadOnlyList<IpPrefix> Prefixes)
{
    public IpFamily Family => Prefixes[0].Family;

    /// <summary>The shortest prefix length among the covering CIDRs (the widest block).</summary>
    public int ShortestPrefixLength => Prefixes.Min(p => p.Length);

    /// <summary>
    /// Parses "192.0.2.0/24" or "192.0.2.10-192.0.2.20" (spaces around '-' tolerated, as
    /// upstream trims them). Returns the error text upstream would give on failure.
    /// </summary>
    public static bool TryParse(string? text, out AddressBlock block, out string error)
    {
        block = null!;
        error = "";
        text ??= "";
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!IpPrefix.TryParse(text, out var prefix))
            {
                error = $"invalid CIDR \"{text}\"";
                return false;
            }
            block = new AddressBlock(text, [prefix]);
            return true;
        }
        string a = text[..dash].Trim(), b = text[(dash + 1)..].Trim();
        if (!IpAddress.TryParse(a, out var first))
        {
            error = $"invalid IP range \"{text}\": invalid start IP \"{a}\"";
            return false;
        }
        if (!IpAddress.TryParse(b, out var last))
        {
            error = $"invalid IP range \"{text}\": invalid end IP \"{b}\"";
            return false;
        }
        if (first.Family != last.Family)
        {
            error = $"invalid IP range \"{text}\": start and end are of different address families";
            return false;
        }
        if (first > last)
        {
            error = $"invalid IP range \"{text}\": start IP \"{a}\" is after the end IP \"{b}\"";
            return false;
        }
        block = new AddressBlock(text, new IpRange(first, last).ToPrefixes());
        return true;
    }
}
