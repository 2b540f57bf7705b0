using System.Collections.Concurrent;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The L2 candidates for one set of applicable advertisements (docs/upstream-speaker.md §4.1 step 5) with
/// their preference scores (§4.2), worked out once per cluster snapshot instead of once per
/// service: live speakers on eligible nodes that some of the ads select, in Node order.
/// </summary>
internal sealed class L2Candidates
{
    private readonly ClusterIndex _cluster;
    private readonly ConcurrentDictionary<string, AnnounceInterfaces> _interfaces = new(StringComparer.Ordinal);
    // Cluster policy: the winner depends only on this set and the first IP; a resync with the
    // same snapshot, or plan asking for every node, elects once per IP.
    private readonly ConcurrentDictionary<string, string> _clusterWinners = new(StringComparer.Ordinal);

    public L2Candidates(ClusterIndex cluster, IReadOnlyList<L2AdvertisementConfig> ads)
    {
        _cluster = cluster;
        Advertisements = ads;
        var all = new List<(string, long)>();
        long top = long.MinValue;
        foreach (var node in cluster.Nodes)
        {
            if (node.Metadata.Name is not { Length: > 0 } name) continue;
            if (!cluster.IsLive(name) || cluster.Ineligible(node) is not null) continue;
            if (!SelectsNode(ads, node.Metadata.Labels)) continue;
            long score = L2Planner.PreferenceScore(ads, node.Metadata.Labels);
            all.Add((name, score));
            top = Math.Max(top, score);
            MaxScore[name] = MaxScore.TryGetValue(name, out long s) ? Math.Max(s, score) : score;
        }
        All = [.. all];
        TopScore = top;
    }

    /// <summary>The ads that apply to the service (the pool's, filtered by serviceSelectors).</summary>
    public IReadOnlyList<L2AdvertisementConfig> Advertisements { get; }

    /// <summary>Every candidate with its score, in Node order (a name twice if two Nodes carry it).</summary>
    public (string Name, long Score)[] All { get; }

    /// <summary>The highest score in <see cref="All"/> (long.MinValue when empty).</summary>
    public long TopScore { get; }

    /// <summary>Candidate name -> its score (the highest when the name is on two Nodes).</summary>
    public Dictionary<string, long> MaxScore { get; } = new(StringComparer.Ordinal);

    public static bool SelectsNode(IReadOnlyList<L2AdvertisementConfig> ads, IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var ad in ads)
            if (ad.SelectsNode(labels)) return true;
        return false;
    }

    /// <summary>The Cluster-policy winner for <paramref name="ip"/> when someone already elected it.</summary>
    public bool TryKnownWinner(string ip, out string? winner) => _clusterWinners.TryGetValue(ip, out winner);

    /// <summary>The Cluster-policy winner for <paramref name="ip"/>: every candidate may win.</summary>
    public string? ClusterWinner(string ip)
    {
        if (All.Length == 0) return null;
        if (_clusterWinners.TryGetValue(ip, out var known)) return known;
        var winner = L2Planner.Winner(All, TopScore, ip);
        _clusterWinners.TryAdd(ip, winner);
        return winner;
    }

    /// <summary>§4.3 for the winner: the union of the interfaces of the ads selecting it.</summary>
    public AnnounceInterfaces InterfacesOf(string winner) =>
        _interfaces.GetOrAdd(winner, static (name, self) =>
            L2Planner.InterfacesFor(self.Advertisements, self._cluster.Find(name)!.Metadata.Labels), this);
}
