using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;
using static MetalLb.Net.Core.Tests.Announcement.NodeFixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class NodeAnnouncerBgpTests
{
    private static readonly PeerConfig Ebgp = Peer("peer-e");
    private static readonly PeerConfig Ibgp = Peer("peer-i", "192.168.0.2", peerAsn: 64500);
    private static readonly PeerConfig V6 = Peer("peer-6", "fd00:ff::1");

    [Fact]
    public void Routes_per_peer_carry_typed_communities_localpref_and_aggregation()
    {
        var config = ConfigOf(
            bgp: [Bgp("ad1", aggregation: 24, aggregationV6: 64, localPref: 150, communities: "65535:65282,large:1:2:3"), Bgp("ad2", localPref: 150, communities: "7:7")],
            peers: [Ibgp, Ebgp, V6]);

        var d = Decide(Scope("node-a", config), Svc("10.0.0.77,fd00::5"));

        Assert.Null(d.Bgp.Reason);
        Assert.True(d.Bgp.Announce);
        Assert.Equal(
        [
            "peer-6 fd00::/64 0 65535:65282,large:1:2:3",
            "peer-6 fd00::5/128 0 7:7",
            "peer-e 10.0.0.0/24 0 65535:65282,large:1:2:3",
            "peer-e 10.0.0.77/32 0 7:7",
            "peer-i 10.0.0.0/24 150 65535:65282,large:1:2:3",
            "peer-i 10.0.0.77/32 150 7:7",
        ], d.Bgp.Routes.Select(Format));
        var first = d.Bgp.Routes[0];
        Assert.Equal(IpPrefix.Parse("fd00::/64"), first.Prefix);
        Assert.Equal([BgpCommunity.Standard(65535, 65282), BgpCommunity.Large(1, 2, 3)], first.Communities);
        Assert.Equal(["peer-6", "peer-e", "peer-i"], d.Bgp.Peers);
    }

    [Fact]
    public void Two_ads_on_one_prefix_collapse_with_communities_unioned()
    {
        var config = ConfigOf(bgp: [Bgp("ad1", communities: "100:1,65535:65282"), Bgp("ad2", communities: "65535:65282,2:2")], peers: [Ebgp]);
        var route = Assert.Single(Decide(Scope("node-a", config)).Bgp.Routes);
        Assert.Equal([BgpCommunity.Standard(2, 2), BgpCommunity.Standard(100, 1), BgpCommunity.Standard(65535, 65282)], route.Communities);
    }

    [Fact]
    public void Peers_lists_only_the_sessions_that_get_a_route()
    {
        var nodes = new[] { Node("node-a", "rack=1"), Node("node-b", "rack=2") };
        var config = ConfigOf(
            bgp: [Bgp(peers: "peer-e,peer-r1,peer-r2")],
            peers: [Ebgp, Peer("peer-r1", "192.168.0.3", nodes: "rack=1"), Peer("peer-r2", "192.168.0.4", nodes: "rack=2"), Peer("peer-unnamed", "192.168.0.5")]);
        Assert.Equal(["peer-e", "peer-r1"], Decide(Scope("node-a", config, nodes)).Bgp.Peers);
        Assert.Equal(["peer-e", "peer-r2"], Decide(Scope("node-b", config, nodes)).Bgp.Peers);
    }

    private const string Excluded = "node.kubernetes.io/exclude-from-external-load-balancers=";

    public static TheoryData<string, string, NotAnnouncedReason> Reasons => new()
    {
        { "excluded node", "excluded", NotAnnouncedReason.NodeExcluded },
        { "NetworkUnavailable node", "unavailable", NotAnnouncedReason.NodeNetworkUnavailable },
        { "no ad selects the node", "other-zone", NotAnnouncedReason.NoBgpAdvertisement },
        { "Local without an endpoint here", "node-b", NotAnnouncedReason.NoLocalEndpoint },
        { "node without a Node object", "ghost", NotAnnouncedReason.NoSpeaker },
        { "no peer session on the node", "no-peer", NotAnnouncedReason.NoBgpPeer },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Each_node_gets_its_own_reason(string name, string node, NotAnnouncedReason reason)
    {
        _ = name;
        Api.Core.Node[] nodes =
        [
            Node("node-a", "zone=a"), Node("node-b", "zone=a"), Node("excluded", "zone=a," + Excluded),
            Node("unavailable", "zone=a", "NetworkUnavailable=True"), Node("other-zone", "zone=b"), Node("no-peer", "zone=a,lonely=yes"),
        ];
        // no-peer passes every check, but its only peer selects zone=b: no session carries the route.
        var config = node == "no-peer"
            ? ConfigOf(bgp: [Bgp(nodes: "zone=a")], peers: [Peer("p", nodes: "zone=b")])
            : ConfigOf(bgp: [Bgp(nodes: "zone=a")], peers: [Peer("p")]);
        var d = Decide(Scope(node, config, nodes), Svc(policy: "Local"), EndpointsOn("node-a", "excluded", "unavailable", "other-zone", "no-peer")).Bgp;
        Assert.Equal(reason, d.Reason);
        Assert.Empty(d.Routes);
        Assert.Empty(d.Peers);
        Assert.False(d.Announce);
    }

    [Fact]
    public void Routes_of_many_services_collapse_per_peer_and_prefix()
    {
        var config = ConfigOf(bgp: [Bgp(aggregation: 24, localPref: 100, communities: "1:1")], peers: [Ibgp, Ebgp]);
        var other = ConfigOf(bgp: [Bgp(aggregation: 24, localPref: 200, communities: "2:2")], peers: [Ibgp]);
        var web = Decide(Scope("node-a", config), Svc("10.0.0.1")).Bgp.Routes;
        var db = Decide(Scope("node-a", other), Svc("10.0.0.2")).Bgp.Routes;
        var single = Decide(Scope("node-a", config), Svc("10.0.9.9")).Bgp.Routes;

        var byPeer = NodeAnnouncer.RoutesByPeer([.. web, .. db, .. single]);

        Assert.Equal(["peer-e", "peer-i"], byPeer.Keys);
        Assert.Equal(["peer-e 10.0.0.0/24 0 1:1", "peer-e 10.0.9.0/24 0 1:1"], byPeer["peer-e"].Select(Format));
        // Same prefix from two services: announced once, communities unioned, localPref of the first.
        Assert.Equal(["peer-i 10.0.0.0/24 100 1:1,2:2", "peer-i 10.0.9.0/24 100 1:1"], byPeer["peer-i"].Select(Format));
    }

    [Fact]
    public void RoutesByPeer_of_nothing_is_empty() => Assert.Empty(NodeAnnouncer.RoutesByPeer([]));

    [Fact]
    public void ForNode_is_the_plan_restricted_to_one_node()
    {
        var nodes = new[] { Node("node-a", "rack=1"), Node("node-b", "rack=2") };
        var request = Request(nodes: nodes);
        var ads = new[] { Bgp(communities: "1:1") };
        PeerConfig[] peers = [Ebgp, Peer("peer-r1", "192.168.0.3", nodes: "rack=1")];
        var plan = BgpPlanner.Plan(request, ads, peers);
        foreach (var node in nodes)
        {
            var d = BgpPlanner.ForNode(request, ads, peers, node);
            Assert.Equal(
                plan.Routes.Where(r => r.Node == node.Metadata.Name).Select(r => $"{r.Peer} {r.Prefix} {r.LocalPref} {string.Join(",", r.Communities)}"),
                d.Routes.Select(Format));
        }
    }
}
