using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Collects one node's routes and collapses them per (peer, prefix) as upstream does: the
/// communities unioned (native mergeCommunities; FRR applies every community route-map), the
/// localPref of the first. A service has a handful of routes, so a list beats a dictionary.
/// </summary>
internal sealed class NodeRoutes
{
    private readonly List<(string Peer, IpPrefix Prefix, uint LocalPref, List<BgpCommunity> Communities)> _routes = [];

    public int Count => _routes.Count;

    public void Add(string peer, IpPrefix prefix, uint localPref, IReadOnlyList<BgpCommunity> communities)
    {
        foreach (var r in _routes)
        {
            if (r.Prefix != prefix || r.Peer != peer) continue;
            r.Communities.AddRange(communities);
            return;
        }
        _routes.Add((peer, prefix, localPref, [.. communities]));
    }

    /// <summary>Sorted by peer, then prefix (network, length); communities distinct and in <see cref="BgpCommunity.Order"/>.</summary>
    public IReadOnlyList<NodeRoute> Build()
    {
        var result = new NodeRoute[_routes.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var (peer, prefix, localPref, communities) = _routes[i];
            result[i] = new NodeRoute(peer, prefix, localPref, Sorted(communities));
        }
        if (result.Length > 1) Array.Sort(result, ByPeerThenPrefix);
        return result;
    }

    /// <summary>The distinct peers of routes sorted by peer.</summary>
    public static IReadOnlyList<string> PeersOf(IReadOnlyList<NodeRoute> sorted)
    {
        if (sorted.Count == 1) return [sorted[0].Peer];
        var peers = new List<string>();
        foreach (var r in sorted)
            if (peers.Count == 0 || peers[^1] != r.Peer) peers.Add(r.Peer);
        return peers;
    }

    /// <summary>
    /// Every route of <paramref name="routes"/> collapsed per (peer, prefix) and grouped by peer:
    /// what one node sends each BGP session for many services.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<NodeRoute>> ByPeer(IEnumerable<NodeRoute> routes)
    {
        var merged = new Dictionary<(string Peer, IpPrefix Prefix), (uint LocalPref, List<BgpCommunity> Communities)>();
        foreach (var r in routes)
        {
            ArgumentNullException.ThrowIfNull(r);
            if (merged.TryGetValue((r.Peer, r.Prefix), out var entry))
                entry.Communities.AddRange(r.Communities);
            else
                merged[(r.Peer, r.Prefix)] = (r.LocalPref, [.. r.Communities]);
        }
        var byPeer = new SortedDictionary<string, List<NodeRoute>>(StringComparer.Ordinal);
        foreach (var ((peer, prefix), (localPref, communities)) in merged)
        {
            if (!byPeer.TryGetValue(peer, out var list)) byPeer[peer] = list = [];
            list.Add(new NodeRoute(peer, prefix, localPref, Sorted(communities)));
        }
        var result = new SortedDictionary<string, IReadOnlyList<NodeRoute>>(StringComparer.Ordinal);
        foreach (var (peer, list) in byPeer)
        {
            list.Sort(ByPeerThenPrefix);
            result[peer] = list;
        }
        return result;
    }

    private static IReadOnlyList<BgpCommunity> Sorted(List<BgpCommunity> communities)
    {
        if (communities.Count == 0) return [];
        communities.Sort(BgpCommunity.Order);
        int kept = 1;
        for (int i = 1; i < communities.Count; i++)
            if (communities[i] != communities[kept - 1]) communities[kept++] = communities[i];
        return communities.GetRange(0, kept).ToArray();
    }

    private static int ByPeerThenPrefix(NodeRoute a, NodeRoute b)
    {
        int c = string.CompareOrdinal(a.Peer, b.Peer);
        if (c != 0) return c;
        c = a.Prefix.Network.CompareTo(b.Prefix.Network);
        return c != 0 ? c : a.Prefix.Length.CompareTo(b.Prefix.Length);
    }
}
