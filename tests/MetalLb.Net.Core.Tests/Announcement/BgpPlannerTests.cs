using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class BgpPlannerTests
{
    /// <summary>
    /// Routes as "node peer prefix localPref communities" lines, and the nodes that stay silent
    /// as "node=Reason" (both in sorted order).
    /// </summary>
    public sealed record Case(
        AnnouncementRequest Request, IReadOnlyList<BgpAdvertisementConfig> Ads, IReadOnlyList<PeerConfig> Peers,
        string[] Routes, string Silent = "");

    private static readonly BgpAdvertisementConfig Plain = Bgp();
    private static readonly PeerConfig Ebgp = Peer("peer-1");
    private static readonly PeerConfig Ibgp = Peer("peer-i", peerAsn: 64500);
    private static readonly AnnouncementRequest Two = Request(nodes: Nodes("node-a", "node-b"));
    private const string Excluded = "node.kubernetes.io/exclude-from-external-load-balancers=false";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Cluster: every eligible node announces the /32 to the peer"] = new(Two, [Plain], [Ebgp],
            ["node-a peer-1 10.0.0.1/32 0 ", "node-b peer-1 10.0.0.1/32 0 "]),
        ["aggregationLength 24 masks the /32 to its /24"] = new(Request("10.0.0.77", Nodes("node-a")), [Bgp(aggregation: 24)], [Ebgp],
            ["node-a peer-1 10.0.0.0/24 0 "]),
        ["two IPs in one aggregate are announced once"] = new(Request("10.0.0.1,10.0.0.2", Nodes("node-a")), [Bgp(aggregation: 24)], [Ebgp],
            ["node-a peer-1 10.0.0.0/24 0 "]),
        ["an ad reaching the pool twice collapses to one route"] = new(Request(nodes: Nodes("node-a")), [Plain, Plain], [Ebgp],
            ["node-a peer-1 10.0.0.1/32 0 "]),

        // Peers: the ad's peers list and the peer's nodeSelectors.
        ["ad peers list sends only to the named peer"] = new(Request(nodes: Nodes("node-a")), [Bgp(peers: "peer-2")],
            [Ebgp, Peer("peer-2", "192.168.0.2")], ["node-a peer-2 10.0.0.1/32 0 "]),
        ["ad naming an unknown peer sends nothing (not an error)"] = new(Request(nodes: Nodes("node-a")), [Bgp(peers: "nope")], [Ebgp],
            [], "node-a=NoBgpPeer"),
        ["peer nodeSelectors: a node-a-only peer gets only node-a's route"] =
            new(Request(nodes: [Node("node-a", "rack=1"), Node("node-b", "rack=2")]), [Plain], [Ebgp, Peer("peer-2", "192.168.0.2", nodes: "rack=1")],
                ["node-a peer-1 10.0.0.1/32 0 ", "node-a peer-2 10.0.0.1/32 0 ", "node-b peer-1 10.0.0.1/32 0 "]),
        ["no peers at all: nodes that may announce report NoBgpPeer"] = new(Two, [Plain], [], [], "node-a=NoBgpPeer,node-b=NoBgpPeer"),

        // Attributes: communities, localPref.
        ["community union on collapse (two ads, same prefix)"] =
            new(Request(nodes: Nodes("node-a")), [Bgp("ad1", communities: "65535:65282"), Bgp("ad2", communities: "100:1,65535:65282")], [Ebgp],
                ["node-a peer-1 10.0.0.1/32 0 100:1,65535:65282"]),
        ["communities sorted as strings, large ones spelled large:"] =
            new(Request(nodes: Nodes("node-a")), [Bgp(communities: "large:1:2:3,65535:65282,7:7")], [Ebgp],
                ["node-a peer-1 10.0.0.1/32 0 65535:65282,7:7,large:1:2:3"]),
        ["iBGP keeps the ad's localPref"] = new(Request(nodes: Nodes("node-a")), [Bgp(localPref: 150)], [Ibgp],
            ["node-a peer-i 10.0.0.1/32 150 "]),
        ["eBGP reports localPref 0 (plan contract)"] = new(Request(nodes: Nodes("node-a")), [Bgp(localPref: 150)], [Ebgp],
            ["node-a peer-1 10.0.0.1/32 0 "]),

        // §6.3 localPref compatibility, checked for the ads matching node and service.
        ["different localPref on ads with serviceSelectors: conflicting"] =
            new(Two, [Bgp("ad1", localPref: 100, services: "app=web"), Bgp("ad2", localPref: 200)], [Ibgp],
                [], "node-a=ConflictingAdvertisements,node-b=ConflictingAdvertisements"),
        ["different localPref but different aggregation lengths: compatible"] =
            new(Request(nodes: Nodes("node-a")), [Bgp("ad1", localPref: 100, services: "app=web"), Bgp("ad2", aggregation: 24, localPref: 200)], [Ibgp],
                ["node-a peer-i 10.0.0.0/24 200 ", "node-a peer-i 10.0.0.1/32 100 "]),
        ["different localPref with disjoint peers lists: compatible"] =
            new(Request(nodes: Nodes("node-a")),
                [Bgp("ad1", localPref: 100, peers: "peer-i", services: "app=web"), Bgp("ad2", localPref: 200, peers: "peer-j")],
                [Ibgp, Peer("peer-j", "192.168.0.9", peerAsn: 64500)],
                ["node-a peer-i 10.0.0.1/32 100 ", "node-a peer-j 10.0.0.1/32 200 "]),
        ["conflict only where both ads select the node"] =
            new(Request(nodes: [Node("node-a", "rack=1"), Node("node-b")]),
                [Bgp("ad1", localPref: 100, services: "app=web", nodes: "rack=1"), Bgp("ad2", localPref: 200)], [Ibgp],
                ["node-b peer-i 10.0.0.1/32 200 "], "node-a=ConflictingAdvertisements"),
        ["an ad whose serviceSelector misses the service cannot conflict"] =
            new(Request(nodes: Nodes("node-a")), [Bgp("ad1", localPref: 100, services: "app=db"), Bgp("ad2", localPref: 200)], [Ibgp],
                ["node-a peer-i 10.0.0.1/32 200 "]),

        // §6.4 address families (FRR modes).
        ["IPv6 prefix goes only to the IPv6 peer"] =
            new(Request("fd00::1", Nodes("node-a"), pool: DualPool), [Plain], [Ebgp, Peer("peer-6", "fd00:ff::1")],
                ["node-a peer-6 fd00::1/128 0 "]),
        ["IPv4 peer with dualStackAddressFamily also carries IPv6"] =
            new(Request("fd00::1", Nodes("node-a"), pool: DualPool), [Plain], [Peer("peer-1", dualStack: true)],
                ["node-a peer-1 fd00::1/128 0 "]),
        ["unnumbered interface peer carries both families"] =
            new(Request("10.0.0.1,fd00::1", Nodes("node-a"), pool: DualPool), [Plain], [Peer("peer-u", address: null, iface: "eth1")],
                ["node-a peer-u 10.0.0.1/32 0 ", "node-a peer-u fd00::1/128 0 "]),
        ["dual-stack service: each family to its own peer, aggregationLengthV6 64"] =
            new(Request("10.0.0.1,fd00::1", Nodes("node-a"), pool: DualPool), [Bgp(aggregationV6: 64)], [Ebgp, Peer("peer-6", "fd00:ff::1")],
                ["node-a peer-1 10.0.0.1/32 0 ", "node-a peer-6 fd00::/64 0 "]),
        ["IPv6 service with only an IPv4 peer: NoBgpPeer"] =
            new(Request("fd00::1", Nodes("node-a"), pool: DualPool), [Plain], [Ebgp], [], "node-a=NoBgpPeer"),

        // §2.1 endpoints for BGP.
        ["Local: only the node with a serving endpoint announces"] =
            new(Request(nodes: Nodes("node-a", "node-b"), policy: TrafficPolicy.Local, endpoints: Eps(Ep("node-b"))), [Plain], [Ebgp],
                ["node-b peer-1 10.0.0.1/32 0 "], "node-a=NoLocalEndpoint"),
        ["Local: an endpoint without addresses does not count"] =
            new(Request(nodes: Nodes("node-a"), policy: TrafficPolicy.Local, endpoints: Eps(Ep("node-a", hasAddress: false))), [Plain], [Ebgp],
                [], "node-a=NoLocalEndpoint"),
        ["Local: ready=false serving=true counts"] =
            new(Request(nodes: Nodes("node-a"), policy: TrafficPolicy.Local,
                endpoints: Eps(Ep("node-a", canServe: EndpointView.CanServe(new() { Ready = false, Serving = true })))), [Plain], [Ebgp],
                ["node-a peer-1 10.0.0.1/32 0 "]),
        ["Cluster with no endpoints: nobody announces"] =
            new(Request(nodes: Nodes("node-a", "node-b"), endpoints: Eps()), [Plain], [Ebgp], [], "node-a=NoServingEndpoints,node-b=NoServingEndpoints"),
        ["Cluster: a serving endpoint without addresses does not count"] =
            new(Request(nodes: Nodes("node-a"), endpoints: Eps(Ep("node-a", hasAddress: false))), [Plain], [Ebgp], [], "node-a=NoServingEndpoints"),
        ["Cluster: an endpoint on another node is enough"] =
            new(Request(nodes: Nodes("node-a"), endpoints: Eps(Ep("node-z"))), [Plain], [Ebgp], ["node-a peer-1 10.0.0.1/32 0 "]),

        // §6.2 node checks, in upstream's order.
        ["excluded node (label value \"false\") stays silent"] =
            new(Request(nodes: [Node("node-a", Excluded), Node("node-b")]), [Plain], [Ebgp], ["node-b peer-1 10.0.0.1/32 0 "], "node-a=NodeExcluded"),
        ["NetworkUnavailable node stays silent"] =
            new(Request(nodes: [Node("node-a", "", "NetworkUnavailable=True")]), [Plain], [Ebgp], [], "node-a=NodeNetworkUnavailable"),
        ["ad nodeSelectors leave a node without advertisement"] =
            new(Request(nodes: [Node("node-a", "rack=1"), Node("node-b")]), [Bgp(nodes: "rack=1")], [Ebgp],
                ["node-a peer-1 10.0.0.1/32 0 "], "node-b=NoBgpAdvertisement"),
        ["ad serviceSelectors not matching the service"] =
            new(Request(nodes: Nodes("node-a")), [Bgp(services: "app=db")], [Ebgp], [], "node-a=NoBgpAdvertisement"),
        ["pool without BGP advertisements"] = new(Two, [], [Ebgp], [], "node-a=NoBgpAdvertisement,node-b=NoBgpAdvertisement"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Plan(string name)
    {
        var c = Cases[name];
        var plan = BgpPlanner.Plan(c.Request, c.Ads, c.Peers);

        Assert.Equal(c.Routes, plan.Routes.Select(Format).ToArray());
        Assert.Equal(c.Silent, string.Join(",", plan.NotAnnouncing.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Equal(c.Routes.Length == 0, plan.Reason is not null);
        foreach (var (node, reason) in plan.NotAnnouncing) Assert.Equal(reason, plan.ShouldAnnounce(node));
        foreach (var node in plan.AnnouncingNodes) Assert.Null(plan.ShouldAnnounce(node));
    }

    [Fact]
    public void Two_services_in_one_aggregate_are_announced_once()
    {
        var ads = new[] { Bgp(aggregation: 24, communities: "1:1") };
        var web = BgpPlanner.Plan(Request("10.0.0.1", Nodes("node-a")), ads, [Ebgp]);
        var db = BgpPlanner.Plan(Request("10.0.0.2", Nodes("node-a")) with { Name = "db" }, [Bgp(aggregation: 24, communities: "2:2")], [Ebgp]);

        var merged = BgpPlanner.Collapse(web.Routes.Concat(db.Routes));

        Assert.Equal(["node-a peer-1 10.0.0.0/24 0 1:1,2:2"], merged.Select(Format).ToArray());
    }

    [Fact]
    public void Collapse_keeps_the_first_local_pref()
    {
        var prefix = IpPrefix.Parse("10.0.0.0/24");
        var merged = BgpPlanner.Collapse([new("node-a", "peer-i", prefix, 100, ["1:1"]), new("node-a", "peer-i", prefix, 200, ["2:2"])]);
        Assert.Equal(["node-a peer-i 10.0.0.0/24 100 1:1,2:2"], merged.Select(Format).ToArray());
    }

    [Fact]
    public void Plan_reads_the_pools_ads_and_peers_from_the_config()
    {
        var config = new MetalLbConfig(
            [V4Pool], [Ebgp], [], new Dictionary<string, BgpCommunity>(),
            new Dictionary<string, IReadOnlyList<L2AdvertisementConfig>>(),
            new Dictionary<string, IReadOnlyList<BgpAdvertisementConfig>> { ["pool-a"] = [Plain] });
        var plan = BgpPlanner.Plan(Request(nodes: Nodes("node-a")), config);
        Assert.Equal(["node-a peer-1 10.0.0.1/32 0 "], plan.Routes.Select(Format).ToArray());
    }

    private static string Format(BgpRoute r) => $"{r.Node} {r.Peer} {r.Prefix} {r.LocalPref} {string.Join(",", r.Communities)}";
}
