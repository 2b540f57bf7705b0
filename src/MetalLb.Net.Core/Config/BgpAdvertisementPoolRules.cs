using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// The checks made when a BGPAdvertisement is attached to one pool (docs/upstream-controller.md B5, B6).
/// Node sets are resolved once per advertisement over the Node objects given.
/// </summary>
internal sealed class BgpAdvertisementPoolRules(IReadOnlyList<Node> nodes)
{
    private readonly Dictionary<BgpAdvertisementConfig, HashSet<string>> _nodeSets = new(ReferenceEqualityComparer.Instance);

    /// <summary>True when <paramref name="ad"/> may join <paramref name="attached"/>; otherwise the errors say why.</summary>
    public bool TryAttach(BgpAdvertisementConfig ad, Pool pool, IReadOnlyList<BgpAdvertisementConfig> attached, List<ConfigError> errors)
    {
        bool ok = true;
        // B5: the aggregation length cannot be wider than any address entry of the pool
        // (a range counts by its widest covering CIDR: 3.3.3.2-3.3.3.254 allows /26 or longer).
        foreach (var block in pool.Blocks)
        {
            int length = ad.AggregationLengthFor(block.Family);
            if (length >= block.ShortestPrefixLength) continue;
            errors.Add(Error(ad, $"invalid aggregation length {length}: prefix {block.ShortestPrefixLength} in pool \"{pool.Name}\" is more specific than the aggregation length for addresses {block.Text}; use an aggregation length of at least {block.ShortestPrefixLength}"));
            ok = false;
        }
        if (!ok) return false;
        // B6: only checkable without serviceSelectors; otherwise the speaker checks per service.
        if (ad.ServiceSelectors.Count > 0) return true;
        foreach (var other in attached)
        {
            if (other.ServiceSelectors.Count > 0 || CompatibleLocalPref(ad, other, pool)) continue;
            errors.Add(Error(ad, $"invalid local preference {ad.LocalPref}: local preference {other.LocalPref} was already set by BGPAdvertisement \"{other.Name}\" for the same type of BGP update in pool \"{pool.Name}\"; use the same localPref, a different aggregation length, disjoint peers or disjoint nodeSelectors"));
            return false;
        }
        return true;
    }

    /// <summary>B6: different localPref is fine when the announcements cannot meet.</summary>
    private bool CompatibleLocalPref(BgpAdvertisementConfig a, BgpAdvertisementConfig b, Pool pool)
    {
        if (a.LocalPref == b.LocalPref) return true;
        bool v4 = pool.HasFamily(IpFamily.IPv4), v6 = pool.HasFamily(IpFamily.IPv6);
        bool v4Differs = a.AggregationLength != b.AggregationLength;
        bool v6Differs = a.AggregationLengthV6 != b.AggregationLengthV6;
        // (a) different prefixes: every family the pool has must differ.
        if ((v4Differs || !v4) && (v6Differs || !v6)) return true;
        // (b) both name peers and none in common.
        if (a.Peers.Count > 0 && b.Peers.Count > 0 && !a.Peers.Intersect(b.Peers).Any()) return true;
        // (c) disjoint node sets; with no Node objects the sets are empty (docs/upstream-controller.md Q9).
        return !NodeSet(a).Overlaps(NodeSet(b));
    }

    private HashSet<string> NodeSet(BgpAdvertisementConfig ad)
    {
        if (_nodeSets.TryGetValue(ad, out var set)) return set;
        set = nodes.Where(n => ad.SelectsNode(n.Metadata.Labels)).Select(n => n.Metadata.Name ?? "").ToHashSet(StringComparer.Ordinal);
        _nodeSets[ad] = set;
        return set;
    }

    private static ConfigError Error(BgpAdvertisementConfig ad, string message) => new(ConfigKinds.BGPAdvertisement, ad.Name, message);
}
