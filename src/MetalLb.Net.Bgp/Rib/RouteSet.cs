using System.Collections;
using System.Diagnostics.CodeAnalysis;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// An immutable set of routes to advertise: prefixes sorted (IPv4 before IPv6, then by address
/// and length), each pointing at one of a few shared attribute sets. This is the form the
/// speaker keeps per peer, so it is built to be small: an IPv4 prefix is one ulong (address
/// and length), an IPv6 one a 24-byte <see cref="NlriPrefix"/>, plus one byte of attribute
/// index (four beyond 256 attribute sets); no object per prefix, each distinct
/// <see cref="AdvertisedAttributes"/> held once. Being immutable, one instance is shared by the caller, the speaker and the
/// Adj-RIB-Out (whose "sent" state is the last set it finished sending).
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "A set of routes, as BGP texts call it; the dictionary view is a convenience.")]
public sealed partial class RouteSet : IReadOnlyDictionary<NlriPrefix, AdvertisedAttributes>, IEquatable<RouteSet>
{
    public static RouteSet Empty { get; } = new([], [], Array.Empty<byte>(), []);

    // IPv4 as (address << 8 | length): sorting these ulongs sorts as NlriPrefix does.
    private readonly ulong[] _ipv4;
    private readonly NlriPrefix[] _ipv6;
    // Index into _attributes per prefix: bytes while there are at most 256 sets (the usual
    // case: a handful of BGPAdvertisements), ints beyond.
    private readonly byte[]? _smallIndex;
    private readonly int[]? _index;
    private readonly AdvertisedAttributes[] _attributes;

    private RouteSet(ulong[] ipv4, NlriPrefix[] ipv6, byte[]? smallIndex, AdvertisedAttributes[] attributes, int[]? index = null)
    {
        _ipv4 = ipv4;
        _ipv6 = ipv6;
        _smallIndex = smallIndex;
        _index = index;
        _attributes = attributes;
    }

    public int Count => _ipv4.Length + _ipv6.Length;

    /// <summary>Prefixes of the IPv4 family; they come first.</summary>
    public int IPv4Count => _ipv4.Length;

    public int IPv6Count => Count - IPv4Count;

    /// <summary>The distinct attribute sets, each once.</summary>
    public IReadOnlyList<AdvertisedAttributes> AttributeSets => _attributes;

    /// <summary>The i-th prefix in order.</summary>
    public NlriPrefix PrefixAt(int i) => i < _ipv4.Length ? Unpack(_ipv4[i]) : _ipv6[i - _ipv4.Length];

    internal static ulong Pack(NlriPrefix p) => (ulong)p.Address << 8 | p.Length;

    internal static NlriPrefix Unpack(ulong packed) => new((uint)(packed >> 8), (byte)packed);

    /// <summary>Compares the i-th prefix of <paramref name="a"/> with the j-th of <paramref name="b"/> (IPv4 pairs as integers).</summary>
    internal static int Compare(RouteSet a, int i, RouteSet b, int j) =>
        i < a._ipv4.Length && j < b._ipv4.Length ? a._ipv4[i].CompareTo(b._ipv4[j]) : a.PrefixAt(i).CompareTo(b.PrefixAt(j));

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
    public int IndexOf(NlriPrefix prefix)
    {
        if (prefix.Afi == Afi.IPv4)
            return Array.BinarySearch(_ipv4, Pack(prefix));
        var i = Array.BinarySearch(_ipv6, prefix);
        return i >= 0 ? i + _ipv4.Length : ~(~i + _ipv4.Length);
    }

    public bool ContainsKey(NlriPrefix key) => IndexOf(key) >= 0;

    public bool TryGetValue(NlriPrefix key, [MaybeNullWhen(false)] out AdvertisedAttributes value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? AttributesAt(i) : null;
        return i >= 0;
    }

    public AdvertisedAttributes this[NlriPrefix key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{key} is not in the set");

    public IEnumerable<NlriPrefix> Keys
    {
        get
        {
            for (var i = 0; i < Count; i++)
                yield return PrefixAt(i);
        }
    }

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
            yield return new(PrefixAt(i), AttributesAt(i));
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
            builder.Add(PrefixAt(i), AttributesAt(i));
        return builder.ToRouteSet();
    }

    /// <summary>Same prefixes with equal attributes.</summary>
    public bool Equals(RouteSet? other)
    {
        if (ReferenceEquals(this, other))
            return true;
        if (other is null || !other._ipv4.AsSpan().SequenceEqual(_ipv4) || !other._ipv6.AsSpan().SequenceEqual(_ipv6))
            return false;
        var map = AttributeMap.Between(this, other);
        for (var i = 0; i < Count; i++)
            if (map.To(AttributeIndexAt(i)) != other.AttributeIndexAt(i))
                return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as RouteSet);

    public override int GetHashCode() => HashCode.Combine(Count, Count > 0 ? PrefixAt(0) : default, Count > 0 ? PrefixAt(Count - 1) : default);

    /// <summary>From sorted, duplicate-free arrays (IPv4 packed); the attribute index covers IPv4 then IPv6.</summary>
    internal static RouteSet Create(ulong[] ipv4, NlriPrefix[] ipv6, byte[]? smallIndex, int[]? index, AdvertisedAttributes[] attributes) =>
        new(ipv4, ipv6, smallIndex, attributes, index);
}
