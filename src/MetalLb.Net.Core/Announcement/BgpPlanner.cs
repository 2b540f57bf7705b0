using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// BGP mode: every eligible node announces (ECMP), each to the peers whose nodeSelectors pick
/// it (speaker.md §6). Pure: the same answer for the live speaker (its own node) and for plan.
/// </summary>
public static class BgpPlanner
{
    public static BgpPlan Plan(AnnouncementRequest request, MetalLbConfig config)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        return Plan(request, config.BgpAdvertisementsFor(request.Pool.Name), config.Peers);
    }

    /// <param name="poolAdvertisements">The BGPAdvertisements attached to the request's pool.</param>
    public static BgpPlan Plan(
        AnnouncementRequest request, IReadOnlyList<BgpAdvertisementConfig> poolAdvertisements, IReadOnlyList<PeerConfig> peers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(poolAdvertisements);
        ArgumentNullException.ThrowIfNull(peers);
        var routes = new List<BgpRoute>();
        var notAnnouncing = new SortedDictionary<string, NotAnnouncedReason>(StringComparer.Ordinal);
        foreach (var node in request.Nodes)
        {
            string name = node.Metadata.Name ?? "";
            var ads = MatchingAdvertisements(request, poolAdvertisements, node, out var reason);
            if (reason is null)
            {
                var nodeRoutes = RoutesFor(request, ads, peers, node);
                if (nodeRoutes.Count == 0) reason = NotAnnouncedReason.NoBgpPeer;
                routes.AddRange(nodeRoutes);
            }
            if (reason is { } r) notAnnouncing[name] = r;
        }
        return new BgpPlan(Collapse(routes), notAnnouncing);
    }

    /// <summary>
    /// The ads a node announces the service with, or why none (§6.2, in upstream's order:
    /// ads for the node, ads for the service, localPref, node state, endpoints).
    /// </summary>
    private static List<BgpAdvertisementConfig> MatchingAdvertisements(
        AnnouncementRequest request, IReadOnlyList<BgpAdvertisementConfig> poolAds, Node node, out NotAnnouncedReason? reason)
    {
        var labels = node.Metadata.Labels;
        string name = node.Metadata.Name ?? "";
        var forNode = poolAds.Where(ad => ad.SelectsNode(labels)).ToList();
        var ads = forNode.Where(ad => ad.SelectsService(request.Labels)).ToList();
        reason = forNode.Count == 0 ? NotAnnouncedReason.NoBgpAdvertisement
            : ads.Count == 0 ? NotAnnouncedReason.NoBgpAdvertisement
            // Ads without serviceSelectors were checked when the config was parsed; ads with
            // them can only be checked now that the service is known. Checking every pair gives
            // the same answer for a valid config and stays safe for a hand-built one.
            : !LocalPrefCompatibility.AllCompatible(ads, request.Pool) ? NotAnnouncedReason.ConflictingAdvertisements
            : NodeEligibility.Check(node, request.IgnoreExcludeLabel) is { } ineligible ? ineligible
            : request.ExternalTrafficPolicy == TrafficPolicy.Local && !request.Endpoints.ServesWithAddressOnNode(name)
                ? NotAnnouncedReason.NoLocalEndpoint
            : request.ExternalTrafficPolicy == TrafficPolicy.Cluster && !request.Endpoints.AnyServingWithAddress
                ? NotAnnouncedReason.NoServingEndpoints
            : null;
        return ads;
    }

    private static List<BgpRoute> RoutesFor(
        AnnouncementRequest request, List<BgpAdvertisementConfig> ads, IReadOnlyList<PeerConfig> peers, Node node)
    {
        var routes = new List<BgpRoute>();
        string name = node.Metadata.Name ?? "";
        // §6.1: one session per peer whose nodeSelectors match this node.
        foreach (var peer in peers.Where(p => p.SelectsNode(node.Metadata.Labels)))
        {
            foreach (var ad in ads.Where(a => a.SendsTo(peer.Name)))
            {
                foreach (var ip in request.Ips)
                {
                    if (!Carries(peer, ip.Family)) continue;
                    var prefix = IpPrefix.Of(ip, ad.AggregationLengthFor(ip.Family));
                    // LOCAL_PREF is an iBGP attribute: native omits it on eBGP and FRR ignores it.
                    uint localPref = peer.IsIbgp ? ad.LocalPref : 0;
                    routes.Add(new BgpRoute(name, peer.Name, prefix, localPref,
                        ad.Communities.Select(c => c.ToString()).ToList()));
                }
            }
        }
        return routes;
    }

    /// <summary>
    /// §6.4 (FRR modes, which our engine follows): a session carries its peer address's family
    /// only, unless dualStackAddressFamily is set or the session is unnumbered (interface).
    /// </summary>
    public static bool Carries(PeerConfig peer, IpFamily family)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.DualStackAddressFamily || peer.Interface is not null || peer.Address is null) return true;
        return peer.Address.Value.Family == family;
    }

    /// <summary>
    /// Routes with the same (node, peer, prefix) become one: communities unioned (upstream
    /// merges them), localPref of the first. Also merges routes of several services, so an
    /// aggregate they share is announced once. Result sorted by node, peer, prefix.
    /// </summary>
    public static IReadOnlyList<BgpRoute> Collapse(IEnumerable<BgpRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var merged = new Dictionary<(string, string, IpPrefix), (uint LocalPref, SortedSet<string> Communities)>();
        foreach (var r in routes)
        {
            var key = (r.Node, r.Peer, r.Prefix);
            if (!merged.TryGetValue(key, out var entry))
                merged[key] = entry = (r.LocalPref, new SortedSet<string>(StringComparer.Ordinal));
            entry.Communities.UnionWith(r.Communities);
        }
        return merged
            .Select(kv => new BgpRoute(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value.LocalPref, kv.Value.Communities.ToList()))
            .OrderBy(r => r.Node, StringComparer.Ordinal)
            .ThenBy(r => r.Peer, StringComparer.Ordinal)
            .ThenBy(r => r.Prefix.Network)
            .ThenBy(r => r.Prefix.Length)
            .ToList();
    }
}
