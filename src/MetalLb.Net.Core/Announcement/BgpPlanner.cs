using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// BGP mode: every eligible node announces (ECMP), each to the peers whose nodeSelectors pick
/// it (docs/upstream-speaker.md §6). Pure: <see cref="ForNode(AnnouncementRequest, IReadOnlyList{BgpAdvertisementConfig}, IReadOnlyList{PeerConfig}, Node)"/>
/// is one node's work, the live speaker's; <see cref="Plan(AnnouncementRequest, MetalLbConfig)"/>
/// is the same call for every node, plan's.
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
            var decision = ForNode(request, poolAdvertisements, peers, node);
            if (decision.Reason is { } reason) notAnnouncing[name] = reason;
            foreach (var r in decision.Routes)
                routes.Add(new BgpRoute(name, r.Peer, r.Prefix, r.LocalPref, r.Communities.Select(c => c.ToString()).ToList()));
        }
        return new BgpPlan(Collapse(routes), notAnnouncing);
    }

    /// <summary>
    /// What <paramref name="node"/> sends for the service: its routes per (peer, prefix), or why
    /// none. Costs one node's work: only this node's advertisements and peers are looked at.
    /// </summary>
    /// <param name="poolAdvertisements">The BGPAdvertisements attached to the request's pool.</param>
    public static BgpNodeDecision ForNode(
        AnnouncementRequest request, IReadOnlyList<BgpAdvertisementConfig> poolAdvertisements, IReadOnlyList<PeerConfig> peers, Node node)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(poolAdvertisements);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata.Labels;
        return ForNode(
            request,
            poolAdvertisements.Where(ad => ad.SelectsNode(labels)).ToList(),
            peers.Where(p => p.SelectsNode(labels)).ToList(),
            node.Metadata.Name ?? "",
            NodeEligibility.Check(node, request.IgnoreExcludeLabel));
    }

    /// <param name="nodeAdvertisements">The pool's advertisements that select the node.</param>
    /// <param name="nodePeers">The peers whose nodeSelectors select the node (§6.1: one session each).</param>
    /// <param name="ineligible">The node's <see cref="NodeEligibility.Check"/>.</param>
    internal static BgpNodeDecision ForNode(
        AnnouncementRequest request, IReadOnlyList<BgpAdvertisementConfig> nodeAdvertisements,
        IReadOnlyList<PeerConfig> nodePeers, string nodeName, NotAnnouncedReason? ineligible)
    {
        if (nodeAdvertisements.Count == 0) return BgpNodeDecision.None(NotAnnouncedReason.NoBgpAdvertisement);
        var ads = ForService(nodeAdvertisements, request.Labels);
        // §6.2, in upstream's order: ads for the node and the service, localPref, node state, endpoints.
        NotAnnouncedReason? reason = ads.Count == 0 ? NotAnnouncedReason.NoBgpAdvertisement
            // Ads without serviceSelectors were checked when the config was parsed; ads with
            // them can only be checked now that the service is known. Checking every pair gives
            // the same answer for a valid config and stays safe for a hand-built one.
            : !LocalPrefCompatibility.AllCompatible(ads, request.Pool) ? NotAnnouncedReason.ConflictingAdvertisements
            : ineligible is { } notEligible ? notEligible
            : request.ExternalTrafficPolicy == TrafficPolicy.Local && !request.Endpoints.ServesWithAddressOnNode(nodeName)
                ? NotAnnouncedReason.NoLocalEndpoint
            : request.ExternalTrafficPolicy == TrafficPolicy.Cluster && !request.Endpoints.AnyServingWithAddress
                ? NotAnnouncedReason.NoServingEndpoints
            : null;
        if (reason is { } r) return BgpNodeDecision.None(r);
        var routes = new NodeRoutes();
        foreach (var peer in nodePeers)
        {
            foreach (var ad in ads)
            {
                if (!ad.SendsTo(peer.Name)) continue;
                foreach (var ip in request.Ips)
                {
                    if (!Carries(peer, ip.Family)) continue;
                    // LOCAL_PREF is an iBGP attribute: native omits it on eBGP and FRR ignores it.
                    routes.Add(peer.Name, IpPrefix.Of(ip, ad.AggregationLengthFor(ip.Family)), peer.IsIbgp ? ad.LocalPref : 0, ad.Communities);
                }
            }
        }
        if (routes.Count == 0) return BgpNodeDecision.None(NotAnnouncedReason.NoBgpPeer);
        var built = routes.Build();
        return new BgpNodeDecision(built, NodeRoutes.PeersOf(built), null);
    }

    /// <summary>The ads whose serviceSelectors match; the list itself when all do (no copy).</summary>
    private static IReadOnlyList<BgpAdvertisementConfig> ForService(IReadOnlyList<BgpAdvertisementConfig> ads, IReadOnlyDictionary<string, string> labels)
    {
        for (int i = 0; i < ads.Count; i++)
        {
            if (ads[i].SelectsService(labels)) continue;
            var some = new List<BgpAdvertisementConfig>(ads.Count);
            for (int j = 0; j < ads.Count; j++)
                if (j < i || (j > i && ads[j].SelectsService(labels))) some.Add(ads[j]);
            return some;
        }
        return ads;
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
