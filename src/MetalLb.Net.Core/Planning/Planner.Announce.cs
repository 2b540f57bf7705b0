using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Planning;

public static partial class Planner
{
    /// <summary>
    /// The speakers' side for one allocated service: the L2 winner for every IP (the winner of
    /// the first IP announces them all) and the BGP routes of every announcing node. The
    /// service is given the status the controller would have written.
    /// </summary>
    private static (IReadOnlyList<L2Entry> L2, IReadOnlyList<BgpEntry> Bgp, IReadOnlyList<string> Why) Announce(
        MetalLbConfig config, Service service, ServiceOutcome outcome, IReadOnlyList<Node> nodes, IReadOnlyList<EndpointSlice> slices)
    {
        var written = WithIngress(service, outcome);
        if (!AnnouncementRequest.TryCreate(config, written, nodes, slices, out var request, out var reason))
            return ([], [], [$"not announced: {reason.Describe()}"]);
        var why = new List<string>();

        var l2 = new List<L2Entry>();
        var election = L2Planner.Elect(request!, config);
        if (election.Winner is { } winner)
            l2.AddRange(request!.Ips.Select(ip => new L2Entry(ip.ToString(), winner)));
        else if (election.Reason is { } l2Reason && l2Reason != NotAnnouncedReason.NoL2Advertisement)
            why.Add($"L2: {l2Reason.Describe()}");

        var bgpPlan = BgpPlanner.Plan(request!, config);
        var bgp = bgpPlan.Routes.Select(r => new BgpEntry(
            r.Node, r.Peer, r.Prefix.ToString(), r.LocalPref, r.Communities)).ToList();
        // A dual-stack service can be announced for one family only (no session carries the
        // other); say so rather than let the missing address pass unnoticed.
        if (bgp.Count > 0)
            foreach (var ip in request!.Ips.Where(ip => !bgpPlan.Routes.Any(r => r.Prefix.Contains(ip))))
                why.Add($"BGP: {ip} is sent to no peer (no BGP session carries {ip.Family.ToKubeString()})");
        if (bgp.Count == 0 && bgpPlan.Reason is { } bgpReason && bgpReason != NotAnnouncedReason.NoBgpAdvertisement)
            why.Add($"BGP: {bgpReason.Describe()}");

        if (l2.Count == 0 && bgp.Count == 0 && why.Count == 0)
            why.Add("not announced: no L2Advertisement or BGPAdvertisement selects its pool");
        return (l2, bgp, why);
    }

    private static Service WithIngress(Service service, ServiceOutcome outcome) => new()
    {
        ApiVersion = service.ApiVersion,
        Kind = service.Kind,
        Metadata = service.Metadata,
        Spec = service.Spec,
        Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = outcome.IPs.Select(ip => new LoadBalancerIngress { IP = ip.ToString() }).ToList() },
        },
    };
}
