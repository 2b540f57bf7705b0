using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Planning;

public static partial class Planner
{
    /// <summary>
    /// The speakers' side for one allocated service, as every node's speaker decides it
    /// (<see cref="NodeAnnouncer.Decide"/> once per node, <paramref name="scopes"/> sorted by node
    /// name): the L2 winner for every IP (the winner of the first IP announces them all) and the
    /// BGP routes of every announcing node. The service is given the status the controller
    /// would have written.
    /// </summary>
    private static (IReadOnlyList<L2Entry> L2, IReadOnlyList<BgpEntry> Bgp, IReadOnlyList<string> Why) Announce(
        MetalLbConfig config, IReadOnlyList<SpeakerScope> scopes, IReadOnlyList<Node> nodes,
        Service service, ServiceOutcome outcome, IReadOnlyList<EndpointSlice> slices)
    {
        var written = WithIngress(service, outcome);
        // Without any Node the service-wide answers still come from a speaker: one whose node
        // is not in the cluster, so it is nobody's candidate.
        var decisions = scopes.Count > 0
            ? scopes.Select(s => NodeAnnouncer.Decide(s, written, slices)).ToList()
            : [NodeAnnouncer.Decide(new SpeakerScope("", config, nodes, null, false), written, slices)];
        var first = decisions[0];
        if (first.Withdrawn is { } withdrawn)
            return ([], [], [$"not announced: {withdrawn.Describe()}"]);
        var why = new List<string>();

        var l2 = new List<L2Entry>();
        if (first.L2.Winner is { } winner)
            l2.AddRange(first.Ips.Select(ip => new L2Entry(ip.ToString(), winner)));
        else if (NobodyOnL2(decisions) is var l2Reason && l2Reason != NotAnnouncedReason.NoL2Advertisement)
            why.Add($"L2: {l2Reason.Describe()}");

        var bgp = new List<BgpEntry>();
        for (int i = 0; i < scopes.Count; i++)
        {
            foreach (var r in decisions[i].Bgp.Routes)
            {
                bgp.Add(new BgpEntry(scopes[i].NodeName, r.Peer, r.Prefix.ToString(), r.LocalPref,
                    r.Communities.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList()));
            }
        }
        // A dual-stack service can be announced for one family only (no session carries the
        // other); say so rather than let the missing address pass unnoticed.
        if (bgp.Count > 0)
        {
            var prefixes = decisions.SelectMany(d => d.Bgp.Routes).Select(r => r.Prefix).ToList();
            foreach (var ip in first.Ips.Where(ip => !prefixes.Any(p => p.Contains(ip))))
                why.Add($"BGP: {ip} is sent to no peer (no BGP session carries {ip.Family.ToKubeString()})");
        }
        if (bgp.Count == 0 && NobodyOnBgp(decisions, scopes.Count) is var bgpReason && bgpReason != NotAnnouncedReason.NoBgpAdvertisement)
            why.Add($"BGP: {bgpReason.Describe()}");

        if (l2.Count == 0 && bgp.Count == 0 && why.Count == 0)
            why.Add("not announced: no L2Advertisement or BGPAdvertisement selects its pool");
        return (l2, bgp, why);
    }

    /// <summary>
    /// Why no node answers ARP/NDP, from the nodes' own reasons: a service-wide refusal reaches
    /// every node alike; otherwise some node passing every check but the local endpoint makes it
    /// NoLocalEndpoint (§4.1 step 6 emptied the set), else no node was eligible at all.
    /// </summary>
    private static NotAnnouncedReason NobodyOnL2(IReadOnlyList<NodeAnnouncement> decisions)
    {
        var reasons = decisions.Select(d => d.L2.Reason).Distinct().ToList();
        if (reasons is [{ } only] && only is NotAnnouncedReason.NoL2Advertisement or NotAnnouncedReason.NoServingEndpoints
            or NotAnnouncedReason.SharedIPWithServiceSelector)
            return only;
        return reasons.Contains(NotAnnouncedReason.NoLocalEndpoint) ? NotAnnouncedReason.NoLocalEndpoint : NotAnnouncedReason.NoEligibleNode;
    }

    /// <summary>Why no node sends a route: the reason every node gives, else NoEligibleNode.</summary>
    private static NotAnnouncedReason NobodyOnBgp(IReadOnlyList<NodeAnnouncement> decisions, int nodes)
    {
        var reasons = decisions.Take(nodes).Select(d => d.Bgp.Reason).Distinct().ToList();
        return reasons is [{ } only] ? only : NotAnnouncedReason.NoEligibleNode;
    }

    private static Service WithIngress(Service service, ServiceOutcome outcome)
    {
        var written = service.DeepClone();
        written.Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = outcome.IPs.Select(ip => new LoadBalancerIngress { IP = ip.ToString() }).ToList() },
        };
        return written;
    }
}
