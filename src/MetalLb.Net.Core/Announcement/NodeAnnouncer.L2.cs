using System.Runtime.InteropServices;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

public static partial class NodeAnnouncer
{
    /// <summary>
    /// §4: the same steps and answers as <see cref="L2Planner.Elect(AnnouncementRequest, MetalLbConfig)"/>
    /// followed by <see cref="L2Election.ShouldAnnounce"/>, but the candidate set comes from the
    /// scope's index and only the winner is found: no full ordering.
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
        string ip = request.Ips[0].ToString();   // §4.2: the first ingress IP, Go's String() form
        string? winner = request.ExternalTrafficPolicy == TrafficPolicy.Local
            ? LocalWinner(candidates, request.Endpoints, ip)
            : candidates.ClusterWinner(ip);
        if (winner == node.Name) return new L2NodeDecision(winner, candidates.InterfacesOf(winner), null);
        var reason = node.OutsideOf(candidates)
            ?? (request.ExternalTrafficPolicy == TrafficPolicy.Local && !request.Endpoints.ServesOnNode(node.Name)
                ? NotAnnouncedReason.NoLocalEndpoint
                : NotAnnouncedReason.NotOwner);
        return winner is null
            ? new L2NodeDecision(null, null, reason)
            : new L2NodeDecision(winner, candidates.InterfacesOf(winner), reason);
    }

    /// <summary>Step 6: Local keeps only candidates hosting a serving endpoint.</summary>
    private static string? LocalWinner(L2Candidates candidates, EndpointView endpoints, string ip)
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
        return local.Count == 0 ? null : L2Planner.Winner(CollectionsMarshal.AsSpan(local), top, ip);
    }

    private static bool Contains(List<(string Name, long Score)> candidates, string name)
    {
        foreach (var c in candidates)
            if (c.Name == name) return true;
        return false;
    }

    private static L2NodeDecision Nobody(NotAnnouncedReason reason) => new(null, null, reason);

    /// <summary>A pool with more than 64 L2Advertisements: the election as plan used to run it.</summary>
    private static L2NodeDecision ByElection(NodeIndex node, AnnouncementRequest request, IReadOnlyList<L2AdvertisementConfig> poolAds)
    {
        var election = L2Planner.Elect(request, poolAds);
        return new L2NodeDecision(election.Winner, election.Interfaces, election.ShouldAnnounce(node.Name));
    }
}
