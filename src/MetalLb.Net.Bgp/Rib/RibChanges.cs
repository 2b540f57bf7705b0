using System.Buffers;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// What must go to the peer: withdrawals, and announcements grouped by shared attributes.
/// Held as positions into the two <see cref="RouteSet"/>s (4 bytes per changed prefix), not
/// as prefixes; <see cref="Encode"/> streams the UPDATEs from them into a send buffer.
/// The two position arrays are rented from the shared array pool: <see cref="Dispose"/> (the
/// session calls it once the UPDATEs are out) hands them back, so a steady stream of changes
/// reuses the same arrays instead of leaving large garbage behind each one.
/// </summary>
public sealed class RibChanges : IDisposable
{
    private readonly RouteSet _sent;
    private int[] _withdrawn;
    private int _withdrawnCount;
    private readonly RouteSet _desired;
    // Positions in _desired, grouped by attribute set (group g is _groupStart[g].._groupStart[g+1]),
    // ascending inside a group, so IPv4 comes before IPv6 in each.
    private int[] _announced;
    private int _announcedCount;
    private readonly int[] _groupStart;

    private RibChanges(RouteSet sent, int[] withdrawn, int withdrawnCount, RouteSet desired, int[] announced, int announcedCount, int[] groupStart)
    {
        _sent = sent;
        _withdrawn = withdrawn;
        _withdrawnCount = withdrawnCount;
        _desired = desired;
        _announced = announced;
        _announcedCount = announcedCount;
        _groupStart = groupStart;
    }

    public bool IsEmpty => _withdrawnCount == 0 && _announcedCount == 0;
    public int AnnouncedCount => _announcedCount;
    public int WithdrawnCount => _withdrawnCount;

    public IReadOnlyList<NlriPrefix> Withdrawn => [.. _withdrawn.Take(_withdrawnCount).Select(_sent.PrefixAt)];

    /// <summary>Announced prefixes per attribute set (materialised: for tests and diagnostics).</summary>
    public IReadOnlyDictionary<AdvertisedAttributes, IReadOnlyList<NlriPrefix>> Announced
    {
        get
        {
            var result = new Dictionary<AdvertisedAttributes, IReadOnlyList<NlriPrefix>>();
            if (_announcedCount == 0)
                return result; // nothing, or disposed
            for (var g = 0; g + 1 < _groupStart.Length; g++)
                if (_groupStart[g + 1] > _groupStart[g])
                    result[_desired.AttributeSets[g]] = [.. _announced[_groupStart[g].._groupStart[g + 1]].Select(_desired.PrefixAt)];
            return result;
        }
    }

    internal RouteSet Sent => _sent;
    internal RouteSet Desired => _desired;
    internal ReadOnlySpan<int> WithdrawnPositions => _withdrawn.AsSpan(0, _withdrawnCount);
    internal ReadOnlySpan<int> AnnouncedPositions => _announced.AsSpan(0, _announcedCount);

    /// <summary>Returns the position arrays to the pool; the changes are empty afterwards.</summary>
    public void Dispose()
    {
        var (withdrawn, announced) = (_withdrawn, _announced);
        (_withdrawn, _announced, _withdrawnCount, _announcedCount) = ([], [], 0, 0);
        if (withdrawn.Length > 0)
            ArrayPool<int>.Shared.Return(withdrawn);
        if (announced.Length > 0)
            ArrayPool<int>.Shared.Return(announced);
    }

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
            return new RibChanges(sent, [], 0, desired, [], 0, new int[desired.AttributeSets.Count + 1]);
        // Two passes over the merge: count, then fill arrays of exactly that size.
        var map = AttributeMap.Between(sent, desired);
        var perGroup = new int[desired.AttributeSets.Count + 1];
        var withdrawCount = 0;
        Walk(sent, desired, map, (_, _) => withdrawCount++, (_, d) => perGroup[desired.AttributeIndexAt(d) + 1]++);
        for (var g = 1; g < perGroup.Length; g++)
            perGroup[g] += perGroup[g - 1];
        var groupStart = (int[])perGroup.Clone();
        var withdrawn = Rent(withdrawCount);
        var announced = Rent(perGroup[^1]);
        var w = 0;
        Walk(sent, desired, map, (s, _) => withdrawn[w++] = s, (_, d) => announced[perGroup[desired.AttributeIndexAt(d)]++] = d);
        return new RibChanges(sent, withdrawn, withdrawCount, desired, announced, groupStart[^1], groupStart);
    }

    private static int[] Rent(int length) => length == 0 ? [] : ArrayPool<int>.Shared.Rent(length);

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
        int sentCount = sent.Count, desiredCount = desired.Count;
        while (s < sentCount || d < desiredCount)
        {
            var c = s == sentCount ? 1 : d == desiredCount ? -1 : RouteSet.Compare(sent, s, desired, d);
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
