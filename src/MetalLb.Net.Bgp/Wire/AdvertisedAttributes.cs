namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// What the host chooses per prefix (MetalLB's BGPAdvertisement: localPref, communities, large
/// communities). ORIGIN, AS_PATH and NEXT_HOP come from the session. Value equality, because
/// the Adj-RIB-Out packs prefixes that share attributes into one UPDATE.
/// </summary>
public sealed class AdvertisedAttributes : IEquatable<AdvertisedAttributes>
{
    public static AdvertisedAttributes Empty { get; } = new();

    public AdvertisedAttributes(uint? localPref = null, uint? multiExitDisc = null,
        IEnumerable<uint>? communities = null, IEnumerable<LargeCommunity>? largeCommunities = null)
    {
        LocalPref = localPref;
        MultiExitDisc = multiExitDisc;
        // RFC 1997 / 8092 say nothing of order; sorted and unique keeps equality and bytes stable.
        Communities = (communities ?? []).Distinct().Order().ToArray();
        LargeCommunities = (largeCommunities ?? []).Distinct()
            .OrderBy(c => c.GlobalAdministrator).ThenBy(c => c.LocalData1).ThenBy(c => c.LocalData2).ToArray();
        _hash = HashCode.Combine(LocalPref, MultiExitDisc, Communities.Count, LargeCommunities.Count,
            Communities.Count > 0 ? Communities[0] : 0, LargeCommunities.Count > 0 ? LargeCommunities[0] : default);
    }

    private readonly int _hash;

    public uint? LocalPref { get; }
    public uint? MultiExitDisc { get; }
    public IReadOnlyList<uint> Communities { get; }
    public IReadOnlyList<LargeCommunity> LargeCommunities { get; }

    /// <summary>"65000:100" style community (RFC 1997 §2: high 16 bits ASN, low 16 bits value).</summary>
    public static uint ParseCommunity(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = text.Split(':');
        if (p.Length != 2)
            throw new FormatException($"community '{text}' is not asn:value");
        return (uint)ushort.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture) << 16
            | ushort.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool Equals(AdvertisedAttributes? other) =>
        ReferenceEquals(this, other) || other is not null && _hash == other._hash && LocalPref == other.LocalPref && MultiExitDisc == other.MultiExitDisc
        && Communities.SequenceEqual(other.Communities) && LargeCommunities.SequenceEqual(other.LargeCommunities);

    public override bool Equals(object? obj) => Equals(obj as AdvertisedAttributes);
    public override int GetHashCode() => _hash;

    public override string ToString() =>
        $"localPref={LocalPref} med={MultiExitDisc} communities=[{string.Join(' ', Communities.Select(c => $"{c >> 16}:{c & 0xFFFF}"))}] large=[{string.Join(' ', LargeCommunities)}]";
}
