namespace MetalLb.Net.Core.Networking;

/// <summary>
/// CIDR blocks in the order they were added, answering "which earlier block overlaps this one"
/// without comparing against each of them: two CIDRs overlap only when one contains the other,
/// so the earlier block is either a shorter prefix of the same address (looked up by the few
/// lengths in use) or a network that lies inside the new block (a range of a sorted set).
/// Validating 1,000 pools on every admission made the pairwise scan the larger half of the parse.
/// </summary>
public sealed class PrefixIndex<TOwner>
{
    private readonly List<(IpPrefix Prefix, TOwner Owner)> _added = [];
    private readonly Dictionary<IpPrefix, int> _firstOrder = [];
    private readonly SortedSet<(IpFamily Family, UInt128 Network, int Order)> _byNetwork = [];
    private readonly SortedSet<(IpFamily Family, int Length)> _lengths = [];

    public void Add(IpPrefix prefix, TOwner owner)
    {
        int order = _added.Count;
        _added.Add((prefix, owner));
        _firstOrder.TryAdd(prefix, order);
        _byNetwork.Add((prefix.Family, prefix.Network.Value, order));
        _lengths.Add((prefix.Family, prefix.Length));
    }

    /// <summary>The earliest added block that shares an address with <paramref name="prefix"/>, if any.</summary>
    public bool TryFindFirstOverlap(IpPrefix prefix, out (IpPrefix Prefix, TOwner Owner) earliest)
    {
        int best = int.MaxValue;
        // Blocks containing it (or equal): the same address cut at each length in use, up to its own.
        foreach (var (family, length) in _lengths)
        {
            if (family != prefix.Family || length > prefix.Length)
                continue;
            if (_firstOrder.TryGetValue(IpPrefix.Of(prefix.Network, length), out int order))
                best = Math.Min(best, order);
        }
        // Blocks inside it: their network addresses fall between its first and last address.
        var inside = _byNetwork.GetViewBetween(
            (prefix.Family, prefix.First.Value, int.MinValue), (prefix.Family, prefix.Last.Value, int.MaxValue));
        foreach (var (_, _, order) in inside)
            best = Math.Min(best, order);
        earliest = best == int.MaxValue ? default : _added[best];
        return best != int.MaxValue;
    }
}
