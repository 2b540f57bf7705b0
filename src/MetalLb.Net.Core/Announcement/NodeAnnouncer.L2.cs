using System.Runtime.InteropServices;

namespace MetalLb.Net.Core.Announcement;

public static partial class NodeAnnouncer
{
    /// <summary>
    /// §4: the same steps and answers as <see cref="L2Planner.Elect(AnnouncementRequest, Config.MetalLbConfig)"/>
    /// followed by <see cref="L2Election.ShouldAnnounce"/>, but the candidate set comes from the
    /// scope's index, and this node only finds out whether it wins: who else won is worked out
    /// when <see cref="L2NodeDecision.Winner"/> is read.
    /// </summary>
    private static L2NodeDecision DecideL2(NodeIndex node, AnnouncementRequest request)
    {
        var poolAds = node.Cluster.Config.L2AdvertisementsFor(request.Pool.Name);
        if (poolAds.Count > 64) return ByElection(node, request, poolAds);   // beyond the mask: the plain way
        // Step 1: the ads that apply are filtered by service, never by node.
        ulong mask = 0;
        bool anyServiceSelector = false;
        for (int i = 0; i < poolAds.Count; i++)
        {
            if (!poolAds[i].SelectsService(request.Labels)) continue;
            mask |= 1UL << i;
            anyServiceSelector |= poolAds[i].ServiceSelectors.Count > 0;
        }
        if (mask == 0) return Nobody(NotAnnouncedReason.NoL2Advertisement);
        // Step 2: upstream withdraws even Cluster services that have nothing serving.
        if (!request.Endpoints.AnyServing) return Nobody(NotAnnouncedReason.NoServingEndpoints);
        // Step 3: a shared IP could be claimed by ads selecting different services; upstream refuses.
        if (anyServiceSelector && request.SharingKey is not null) return Nobody(NotAnnouncedReason.SharedIPWithServiceSelector);

        var candidates = node.Cluster.L2(request.Pool.Name, mask, poolAds);
        var first = request.Ips[0];   // §4.2: the first ingress IP, hashed in Go's String() form
        bool local = request.ExternalTrafficPolicy == TrafficPolicy.Local;
        // Step 6: Local keeps only candidates hosting a serving endpoint.
        var (set, top) = local ? LocalCandidates(candidates, request.Endpoints) : (candidates.All, candidates.TopScore);

        var reason = node.OutsideOf(candidates)
            ?? (local && !request.Endpoints.ServesOnNode(node.Name) ? NotAnnouncedReason.NoLocalEndpoint : (NotAnnouncedReason?)null);
        if (reason is null)
        {
            // This node is a candidate: it wins when it has the top score and the smallest hash.
            if (candidates.MaxScore[node.Name] == top && Wins(candidates, local, set, top, node.Name, first.ToString()))
                return new L2NodeDecision(node.Name, candidates.InterfacesOf(node.Name), null);
            reason = NotAnnouncedReason.NotOwner;
        }
        if (set.Length == 0) return new L2NodeDecision(null, null, reason);
        return new L2NodeDecision(reason.Value, () =>
        {
            string ip = first.ToString();
            string winner = local ? L2Planner.Winner(set, top, ip) : candidates.ClusterWinner(ip)!;
            return (winner, candidates.InterfacesOf(winner));
        });
    }

    /// <summary>Whether this node wins: from the election when another node's decision already ran it.</summary>
    private static bool Wins(L2Candidates candidates, bool local, (string Name, long Score)[] set, long top, string self, string ip) =>
        !local && candidates.TryKnownWinner(ip, out var known) ? known == self : L2Planner.Wins(set, top, self, ip);

    private static ((string Name, long Score)[] Set, long Top) LocalCandidates(L2Candidates candidates, EndpointView endpoints)
    {
        var local = new List<(string Name, long Score)>();
        long top = long.MinValue;
        foreach (var ep in endpoints.Endpoints)
        {
            if (!ep.CanServe || ep.NodeName is not { } name || !candidates.MaxScore.TryGetValue(name, out long score)) continue;
            if (Contains(local, name)) continue;
            local.Add((name, score));
            top = Math.Max(top, score);
        }
        return (local.ToArray(), top);
    }

    private static bool Contains(List<(string Name, long Score)> candidates, string name)
    {
        foreach (var c in CollectionsMarshal.AsSpan(candidates))
            if (c.Name == name) return true;
        return false;
    }

    private static L2NodeDecision Nobody(NotAnnouncedReason reason) => new(null, null, reason);

    /// <summary>A pool with more than 64 L2Advertisements: the election as plan used to run it.</summary>
    private static L2NodeDecision ByElection(NodeIndex node, AnnouncementRequest request, IReadOnlyList<Config.L2AdvertisementConfig> poolAds)
    {
        var election = L2Planner.Elect(request, poolAds);
        return new L2NodeDecision(election.Winner, election.Interfaces, election.ShouldAnnounce(node.Name));
    }
}
