using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Announcement;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;
using static MetalLb.Net.Core.Tests.Announcement.NodeFixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class NodeAnnouncerL2Tests
{
    private static readonly Api.Core.Node[] Iris = Nodes("iris1", "iris2");

    // Upstream's TestSortL2Candidates vectors (docs/upstream-speaker.md §4.2), asked of every node: the winner
    // announces, every other node is told NotOwner and who won.
    [Theory]
    [InlineData("10.0.0.1", "node-a,node-b,node-c", "node-b")]
    [InlineData("10.0.0.2", "node-a,node-b,node-c", "node-b")]
    [InlineData("10.20.30.1", "iris1,iris2", "iris2")]
    [InlineData("10.20.30.2", "iris1,iris2", "iris1")]
    public void Upstream_vectors_elect_the_same_winner_on_every_node(string ip, string nodeNames, string winner)
    {
        var nodes = Nodes(nodeNames.Split(','));
        var config = ConfigOf(l2: [L2()]);
        foreach (var node in nodes)
        {
            string name = node.Metadata.Name!;
            var d = Decide(Scope(name, config, nodes), Svc(ip), EndpointsOn(name)).L2;
            Assert.Equal(winner, d.Winner);
            Assert.Equal(AnnounceInterfaces.Every, d.Interfaces);
            Assert.Equal(name == winner ? null : NotAnnouncedReason.NotOwner, d.Reason);
            Assert.Equal(name == winner, d.Announce);
        }
    }

    private const string Excluded = "node.kubernetes.io/exclude-from-external-load-balancers=false";

    public static TheoryData<string, string, NotAnnouncedReason?, string?> Reasons => new()
    {
        // case, node asking, its reason, the winner
        { "the hash winner announces", "node-b", null, "node-b" },
        { "a loser is told NotOwner", "node-a", NotAnnouncedReason.NotOwner, "node-b" },
        { "excluded node (label value \"false\")", "excluded", NotAnnouncedReason.NodeExcluded, "node-b" },
        { "NetworkUnavailable node", "unavailable", NotAnnouncedReason.NodeNetworkUnavailable, "node-b" },
        { "node whose speaker is not in memberlist", "gone", NotAnnouncedReason.NoSpeaker, "node-b" },
        { "node without a Node object", "ghost", NotAnnouncedReason.NoSpeaker, "node-b" },
        { "node no applicable ad selects", "other-zone", NotAnnouncedReason.NodeNotSelected, "node-b" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Each_node_gets_its_own_reason(string name, string node, NotAnnouncedReason? reason, string? winner)
    {
        _ = name;
        Api.Core.Node[] nodes =
        [
            Node("node-a", "zone=a"), Node("node-b", "zone=a"), Node("node-c", "zone=a"), Node("excluded", "zone=a," + Excluded),
            Node("unavailable", "zone=a", "NetworkUnavailable=True"), Node("gone", "zone=a"), Node("other-zone", "zone=b"),
        ];
        var live = nodes.Select(n => n.Metadata.Name!).Where(n => n != "gone").ToHashSet();
        var d = Decide(Scope(node, ConfigOf(l2: [L2(nodes: "zone=a")]), nodes, live)).L2;
        Assert.Equal(reason, d.Reason);
        Assert.Equal(winner, d.Winner);
    }

    [Fact]
    public void Local_policy_only_nodes_with_a_serving_endpoint_compete()
    {
        var config = ConfigOf(l2: [L2()]);
        var service = Svc(policy: "Local");
        // node-b wins 10.0.0.1 among all three; with endpoints on a and c only, a and c compete.
        var a = Decide(Scope("node-a", config), service, EndpointsOn("node-a", "node-c")).L2;
        var b = Decide(Scope("node-b", config), service, EndpointsOn("node-a", "node-c")).L2;
        var c = Decide(Scope("node-c", config), service, EndpointsOn("node-a", "node-c")).L2;
        Assert.Equal(NotAnnouncedReason.NoLocalEndpoint, b.Reason);
        Assert.Equal("node-a", a.Winner);
        Assert.Null(a.Reason);
        Assert.Equal(NotAnnouncedReason.NotOwner, c.Reason);
        Assert.Equal("node-a", b.Winner);
    }

    [Fact]
    public void Local_policy_with_endpoints_only_on_ineligible_nodes_has_no_winner()
    {
        var nodes = new[] { Node("node-a", Excluded), Node("node-b") };
        var d = Decide(Scope("node-b", ConfigOf(l2: [L2()]), nodes), Svc(policy: "Local"), EndpointsOn("node-a")).L2;
        Assert.Null(d.Winner);
        Assert.Null(d.Interfaces);
        Assert.Equal(NotAnnouncedReason.NoLocalEndpoint, d.Reason);
    }

    [Fact]
    public void Service_wide_refusals_reach_every_node()
    {
        var nodes = Nodes("node-a", "node-b");
        Assert.Equal(NotAnnouncedReason.NoL2Advertisement, Decide(Scope("node-b", ConfigOf(), nodes)).L2.Reason);
        Assert.Equal(NotAnnouncedReason.NoL2Advertisement, Decide(Scope("node-b", ConfigOf(l2: [L2(services: "app=db")]), nodes)).L2.Reason);
        Assert.Equal(NotAnnouncedReason.NoServingEndpoints, Decide(Scope("node-b", ConfigOf(l2: [L2()]), nodes), Svc(), EndpointsOn()).L2.Reason);
        var shared = Decide(Scope("node-b", ConfigOf(l2: [L2(services: "app=web")]), nodes), Svc(annotations: "metallb.io/allow-shared-ip=")).L2;
        Assert.Equal(NotAnnouncedReason.SharedIPWithServiceSelector, shared.Reason);
        Assert.Null(shared.Winner);
    }

    [Fact]
    public void The_winner_gets_the_union_of_the_interfaces_of_the_ads_selecting_it()
    {
        var config = ConfigOf(l2: [L2("a", interfaces: "eth1"), L2("b", interfaces: "eth0,eth1"), L2("c", nodes: "zone=x", interfaces: "eth9")]);
        var d = Decide(Scope("node-b", config)).L2;
        Assert.True(d.Announce);
        Assert.Equal(new AnnounceInterfaces(false, ["eth0", "eth1"]), d.Interfaces);
        // A loser is told the winner's interfaces too.
        Assert.Equal(d.Interfaces, Decide(Scope("node-a", config)).L2.Interfaces);
    }

    [Fact]
    public void A_preferred_node_wins_without_the_others_hashing_to_it()
    {
        var nodes = new[] { Node("node-a"), Node("node-b"), Node("node-c", "zone=c") };
        var config = ConfigOf(l2: [L2(preferred: Prefer(10, "zone=c"))]);
        Assert.True(Decide(Scope("node-c", config, nodes)).L2.Announce);
        var b = Decide(Scope("node-b", config, nodes)).L2;
        Assert.Equal((NotAnnouncedReason?)NotAnnouncedReason.NotOwner, b.Reason);
        Assert.Equal("node-c", b.Winner);
    }

    [Theory]
    [InlineData("NotLoadBalancer", "10.0.0.1", "ClusterIP")]
    [InlineData("NoIngressIp", "", "LoadBalancer")]
    [InlineData("InvalidIngressIp", "10.0.0.300", "LoadBalancer")]
    [InlineData("IpNotAllowed", "192.0.2.1", "LoadBalancer")]
    public void Withdrawn_before_any_protocol(string reason, string ips, string type)
    {
        var d = Decide(Scope("node-b", ConfigOf(l2: [L2()], bgp: [Bgp()], peers: [Peer("p")])), Svc(ips, type: type));
        var expected = Enum.Parse<NotAnnouncedReason>(reason);
        Assert.Equal(expected, d.Withdrawn);
        Assert.Empty(d.Ips);
        Assert.Null(d.Pool);
        Assert.Equal(expected, d.L2.Reason);
        Assert.Equal(expected, d.Bgp.Reason);
        Assert.False(d.L2.Announce || d.Bgp.Announce);
    }

    [Fact]
    public void A_dual_stack_service_is_elected_on_its_first_ip_and_keeps_status_order()
    {
        var d = Decide(Scope("node-b", ConfigOf(l2: [L2()])), Svc("10.0.0.2,fd00::1"));
        Assert.Equal(["10.0.0.2", "fd00::1"], d.Ips.Select(ip => ip.ToString()));
        Assert.Equal("pool-dual", d.Pool);
        Assert.Equal("node-b", d.L2.Winner);   // 10.0.0.2 over a,b,c -> b
    }

    [Fact]
    public void Decisions_compare_by_value()
    {
        var config = ConfigOf(l2: [L2(interfaces: "eth0")]);
        var one = Decide(Scope("node-a", config));
        var other = Decide(Scope("node-a", config));
        Assert.Equal(one, other);
        Assert.NotEqual(one, Decide(Scope("node-b", config)));
        var (winner, interfaces, reason) = one.L2;
        Assert.Equal(new L2NodeDecision(winner, interfaces, reason), one.L2);
        Assert.Equal("node-a", (one.L2 with { Winner = "node-a" }).Winner);
    }
}
