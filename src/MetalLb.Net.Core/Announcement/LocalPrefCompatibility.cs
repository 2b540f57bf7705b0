using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Whether two BGPAdvertisements may carry different localPref for the same service without
/// producing the same prefix to the same peer with two values (docs/upstream-speaker.md §6.3, upstream's
/// "compatible local pref" rule). The config parser applies it to ads without serviceSelectors;
/// the BGP planner to the ads matching one node and service.
/// </summary>
public static class LocalPrefCompatibility
{
    /// <summary>
    /// Compatible when localPref is equal, or the aggregation lengths differ for every family
    /// the pool has (the prefixes can never coincide), or both name peers and no peer is shared.
    /// Node-set disjointness, the rule's last escape, is the caller's: on one node it never holds.
    /// </summary>
    public static bool AreCompatible(BgpAdvertisementConfig a, BgpAdvertisementConfig b, Pool pool)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(pool);
        if (a.LocalPref == b.LocalPref) return true;
        var families = new[] { IpFamily.IPv4, IpFamily.IPv6 }.Where(pool.HasFamily).ToList();
        if (families.Count > 0 && families.All(f => a.AggregationLengthFor(f) != b.AggregationLengthFor(f)))
            return true;
        return a.Peers.Count > 0 && b.Peers.Count > 0 && !a.Peers.Intersect(b.Peers, StringComparer.Ordinal).Any();
    }

    /// <summary>True when every pair in <paramref name="ads"/> is compatible.</summary>
    public static bool AllCompatible(IReadOnlyList<BgpAdvertisementConfig> ads, Pool pool)
    {
        ArgumentNullException.ThrowIfNull(ads);
        for (int i = 0; i < ads.Count; i++)
            for (int j = i + 1; j < ads.Count; j++)
                if (!AreCompatible(ads[i], ads[j], pool)) return false;
        return true;
    }
}
