using System.Collections;
using System.Diagnostics.CodeAnalysis;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// An immutable set of routes to advertise: prefixes sorted (IPv4 before IPv6, then by address
/// and length), each pointing at one of a few shared attribute sets. This is the form the
/// speaker keeps per peer, so it is built to be small: 24 bytes per prefix, 2 or 4 per
/// attribute index, no object per prefix, each distinct <see cref="AdvertisedAttributes"/>
/// held once. Being immutable, one instance is shared by the caller, the speaker and the
/// Adj-RIB-Out (whose "sent" state is the last set it finished sending).
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "A set of routes, as BGP texts call it; the dictionary view is a convenience.")]
public sealed partial class RouteSet : IReadOnlyDictionary<NlriPrefix, AdvertisedAttributes>, IEquatable<RouteSet>
{
    public static RouteSet Empty { get; } = new([], Array.Empty<byte>(), [], 0);

    private readonly NlriPrefix[] _prefixes;
    // Index into _attributes per prefix: bytes while there are at most 256 sets (the usual
    // case: a handful of BGPAdvertisements), ints beyond.
    private readonly byte[]? _smallIndex;
    private readonly int[]? _index;
    private readonly AdvertisedAttributes[] _attributes;

    private RouteSet(NlriPrefix[] prefixes, byte[]? smallIndex, AdvertisedAttributes[] attributes, int ipv4Count, int[]? index = null)
    {
        _prefixes = prefixes;
        _smallIndex = smallIndex;
        _index = index;
        _attributes = attributes;
        IPv4Count = ipv4Count;
    }

    public int Count => _prefixes.Length;

    /// <summary>Prefixes of the IPv4 family; they come first.</summary>
    public int IPv4Count { get; }

    public int IPv6Count => Count - IPv4Count;

    /// <summary>The distinct attribute sets, each once.</summary>
    public IReadOnlyList<AdvertisedAttributes> AttributeSets => _attributes;

    public ReadOnlySpan<NlriPrefix> Prefixes => _prefixes;

    internal NlriPrefix PrefixAt(int i) => _prefixes[i];

    /// <summary>Which of <see cref="AttributeSets"/> the i-th prefix carries.</summary>
    public int AttributeIndexAt(int i) => _smallIndex is { } s ? s[i] : _index![i];

    public AdvertisedAttributes AttributesAt(int i) => _attributes[AttributeIndexAt(i)];

    /// <summary>The index range of one family's prefixes.</summary>
    public (int Start, int End) RangeOf(Afi afi) => afi == Afi.IPv4 ? (0, IPv4Count) : (IPv4Count, Count);

    public static RouteSet From(IEnumerable<KeyValuePair<NlriPrefix, AdvertisedAttributes>> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (routes is RouteSet set)
            return set;
        var builder = new Builder(routes is IReadOnlyCollection<KeyValuePair<NlriPrefix, AdvertisedAttributes>> c ? c.Count : 0);
        foreach (var (prefix, attributes) in routes)
            builder.Add(prefix, attributes);
        return builder.ToRouteSet();
    }

    /// <summary>Position of <paramref name="prefix"/>, or the bitwise complement of where it would go.</summary>
    public int IndexOf(NlriPrefix prefix) => Array.BinarySearch(_prefixes, prefix);

    public bool ContainsKey(NlriPrefix key) => IndexOf(key) >= 0;

    public bool TryGetValue(NlriPrefix key, [MaybeNullWhen(false)] out AdvertisedAttributes value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? AttributesAt(i) : null;
        return i >= 0;
    }

    public AdvertisedAttributes this[NlriPrefix key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{key} is not in the set");

    public IEnumerable<NlriPrefix> Keys => _prefixes;

    public IEnumerable<AdvertisedAttributes> Values
    {
        get
        {
            for (var i = 0; i < Count; i++)
                yield return AttributesAt(i);
        }
    }

    public IEnumerator<KeyValuePair<NlriPrefix, AdvertisedAttributes>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return new(_prefixes[i], AttributesAt(i));
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Only the families asked for; this same instance when nothing is left out.</summary>
    public RouteSet OnlyFamilies(bool ipv4, bool ipv6)
    {
        if ((ipv4 || IPv4Count == 0) && (ipv6 || IPv6Count == 0))
            return this;
        var (start, end) = (ipv4 ? 0 : IPv4Count, ipv6 ? Count : IPv4Count);
        var builder = new Builder(end - start);
        for (var i = start; i < end; i++)
            builder.Add(_prefixes[i], AttributesAt(i));
        return builder.ToRouteSet();
    }

    /// <summary>Same prefixes with equal attributes.</summary>
    public bool Equals(RouteSet? other)
    {
        if (ReferenceEquals(this, other))
            return true;
        if (other is null || other.Count != Count || !other.Prefixes.SequenceEqual(Prefixes))
            return false;
        var map = AttributeMap.Between(this, other);
        for (var i = 0; i < Count; i++)
            if (map.To(AttributeIndexAt(i)) != other.AttributeIndexAt(i))
                return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as RouteSet);

    public override int GetHashCode() => HashCode.Combine(Count, Count > 0 ? _prefixes[0] : default, Count > 0 ? _prefixes[^1] : default);

    internal static RouteSet Create(NlriPrefix[] prefixes, int[] index, AdvertisedAttributes[] attributes)
    {
        var ipv4 = 0;
        while (ipv4 < prefixes.Length && prefixes[ipv4].Afi == Afi.IPv4)
            ipv4++;
        if (attributes.Length > 256)
            return new RouteSet(prefixes, null, attributes, ipv4, index);
        var small = new byte[index.Length];
        for (var i = 0; i < index.Length; i++)
            small[i] = (byte)index[i];
        return new RouteSet(prefixes, small, attributes, ipv4);
    }
}
