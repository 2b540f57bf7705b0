using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// What must go to the peer: withdrawals, and announcements grouped by shared attributes.
/// Held as positions into the two <see cref="RouteSet"/>s (4 bytes per changed prefix), not
/// as prefixes; <see cref="Encode"/> streams the UPDATEs from them into a send buffer.
/// </summary>
public sealed class RibChanges
{
    private readonly RouteSet _sent;
    private readonly int[] _withdrawn;
    private readonly RouteSet _desired;
    // Positions in _desired, grouped by attribute set (group g is _groupStart[g].._groupStart[g+1]),
    // ascending inside a group, so IPv4 comes before IPv6 in each.
    private readonly int[] _announced;
    private readonly int[] _groupStart;

    private RibChanges(RouteSet sent, int[] withdrawn, RouteSet desired, int[] announced, int[] groupStart)
    {
        _sent = sent;
        _withdrawn = withdrawn;
        _desired = desired;
        _announced = announced;
        _groupStart = groupStart;
    }

    public bool IsEmpty => _withdrawn.Length == 0 && _announced.Length == 0;
    public int AnnouncedCount => _announced.Length;
    public int WithdrawnCount => _withdrawn.Length;

    public IReadOnlyList<NlriPrefix> Withdrawn => [.. _withdrawn.Select(_sent.PrefixAt)];

    /// <summary>Announced prefixes per attribute set (materialised: for tests and diagnostics).</summary>
    public IReadOnlyDictionary<AdvertisedAttributes, IReadOnlyList<NlriPrefix>> Announced
    {
        get
        {
            var result = new Dictionary<AdvertisedAttributes, IReadOnlyList<NlriPrefix>>();
            for (var g = 0; g + 1 < _groupStart.Length; g++)
                if (_groupStart[g + 1] > _groupStart[g])
                    result[_desired.AttributeSets[g]] = [.. _announced[_groupStart[g].._groupStart[g + 1]].Select(_desired.PrefixAt)];
            return result;
        }
    }

    internal RouteSet Sent => _sent;
    internal RouteSet Desired => _desired;
    internal ReadOnlySpan<int> WithdrawnPositions => _withdrawn;
    internal ReadOnlySpan<int> AnnouncedPositions => _announced;

    /// <summary>The UPDATEs as messages (the same bytes <see cref="Encode"/> writes), withdrawals first.</summary>
    public List<UpdateMessage> ToUpdates(UpdateEncodingContext context)
    {
        var updates = new List<UpdateMessage>();
        foreach (var family in ByFamily(Withdrawn))
            updates.AddRange(UpdateBuilder.Withdraw(context, family));
        foreach (var (attributes, prefixes) in Announced)
            foreach (var family in ByFamily(prefixes))
                updates.AddRange(UpdateBuilder.Announce(context, attributes, family));
        return updates;
    }

    /// <summary>A writer that packs these changes into UPDATEs, chunk by chunk into the caller's buffer.</summary>
    public UpdateStream Encode(UpdateEncodingContext context) => new(this, context);

    private static IEnumerable<IReadOnlyList<NlriPrefix>> ByFamily(IReadOnlyList<NlriPrefix> sorted)
    {
        var v4 = sorted.TakeWhile(p => p.Afi == Afi.IPv4).ToList();
        if (v4.Count > 0)
            yield return v4;
        if (v4.Count < sorted.Count)
            yield return sorted.Skip(v4.Count).ToList();
    }

    /// <summary>The changes that take a peer holding <paramref name="sent"/> to <paramref name="desired"/>.</summary>
    public static RibChanges Between(RouteSet sent, RouteSet desired)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(desired);
        if (ReferenceEquals(sent, desired))
            return new RibChanges(sent, [], desired, [], new int[desired.AttributeSets.Count + 1]);
        // Two passes over the merge: count, then fill arrays of exactly that size.
        var map = AttributeMap.Between(sent, desired);
        var perGroup = new int[desired.AttributeSets.Count + 1];
        var withdrawCount = 0;
        Walk(sent, desired, map, (_, _) => withdrawCount++, (_, d) => perGroup[desired.AttributeIndexAt(d) + 1]++);
        for (var g = 1; g < perGroup.Length; g++)
            perGroup[g] += perGroup[g - 1];
        var groupStart = (int[])perGroup.Clone();
        var withdrawn = new int[withdrawCount];
        var announced = new int[perGroup[^1]];
        var w = 0;
        Walk(sent, desired, map, (s, _) => withdrawn[w++] = s, (_, d) => announced[perGroup[desired.AttributeIndexAt(d)]++] = d);
        return new RibChanges(sent, withdrawn, desired, announced, groupStart);
    }

    /// <summary>How many prefixes differ (to withdraw, or to announce anew), without allocating.</summary>
    public static int CountDifferences(RouteSet sent, RouteSet desired)
    {
        if (ReferenceEquals(sent, desired))
            return 0;
        var n = 0;
        Walk(sent, desired, AttributeMap.Between(sent, desired), (_, _) => n++, (_, _) => n++);
        return n;
    }

    /// <summary>
    /// Merges the two sorted sets: <paramref name="withdraw"/> gets each position in sent whose
    /// prefix desired lacks; <paramref name="announce"/> each position in desired that sent
    /// lacks or holds with other attributes.
    /// </summary>
    private static void Walk(RouteSet sent, RouteSet desired, AttributeMap map, Action<int, int> withdraw, Action<int, int> announce)
    {
        var s = 0;
        var d = 0;
        var sp = sent.Prefixes;
        var dp = desired.Prefixes;
        while (s < sp.Length || d < dp.Length)
        {
            var c = s == sp.Length ? 1 : d == dp.Length ? -1 : sp[s].CompareTo(dp[d]);
            if (c < 0)
                withdraw(s++, -1);
            else if (c > 0)
                announce(-1, d++);
            else
            {
                if (map.To(sent.AttributeIndexAt(s)) != desired.AttributeIndexAt(d))
                    announce(s, d);
                s++;
                d++;
            }
        }
    }
}
