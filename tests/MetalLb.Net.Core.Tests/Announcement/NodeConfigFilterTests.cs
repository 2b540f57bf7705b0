using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Tests.Config;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class NodeConfigFilterTests
{
    private static readonly Node A = B.Node("node-a", "rack=1");
    private static readonly Node Bn = B.Node("node-b", "rack=2");

    private static ConfigInput Input(params BGPPeer[] peers) => B.Input(i => i with
    {
        Nodes = [A, Bn],
        Peers = peers,
        L2Advertisements = [B.L2("l2-rack1", s => s.NodeSelectors = [B.Sel("rack=1")])],
        BgpAdvertisements =
        [
            B.Bgp("everywhere"),
            B.Bgp("rack1", s => s.NodeSelectors = [B.Sel("rack=1")]),
            B.Bgp("rack2-or-3", s => s.NodeSelectors = [B.Sel("rack=2"), B.Sel("rack=3")]),
        ],
    });

    [Fact]
    public void Peers_and_bgp_advertisements_that_do_not_select_the_node_are_dropped()
    {
        var input = Input(B.Peer("all"), B.Peer("rack1", s => s.NodeSelectors = [B.Sel("rack=1")]),
            B.Peer("rack2", s => { s.PeerAddress = "192.0.2.2"; s.NodeSelectors = [B.Expr("rack", "In", "2")]; }));

        var a = NodeConfigFilter.ForNode(input, "node-a");
        var b = NodeConfigFilter.ForNode(input, "node-b");

        Assert.Equal(["all", "rack1"], a.Peers.Select(p => p.Metadata.Name));
        Assert.Equal(["all", "rack2"], b.Peers.Select(p => p.Metadata.Name));
        Assert.Equal(["everywhere", "rack1"], a.BgpAdvertisements.Select(p => p.Metadata.Name));
        Assert.Equal(["everywhere", "rack2-or-3"], b.BgpAdvertisements.Select(p => p.Metadata.Name));
        // L2Advertisements are never filtered: every speaker needs the whole candidate set.
        Assert.Equal(["l2-rack1"], b.L2Advertisements.Select(p => p.Metadata.Name));
        Assert.Same(input.Pools, b.Pools);
        Assert.Same(input.Nodes, b.Nodes);
    }

    [Fact]
    public void A_broken_peer_that_selects_only_node_a_makes_only_a_config_invalid()
    {
        // myASN 0 is invalid; the peer selects rack=1 only.
        var input = Input(B.Peer("good"), B.Peer("broken", s => { s.MyASN = 0; s.PeerAddress = "192.0.2.9"; s.NodeSelectors = [B.Sel("rack=1")]; }));

        var onA = ConfigParser.Parse(NodeConfigFilter.ForNode(input, "node-a"));
        var onB = ConfigParser.Parse(NodeConfigFilter.ForNode(input, "node-b"));

        Assert.Null(onA.Config);
        Assert.Contains(onA.Errors, e => e.Kind == ConfigKinds.BGPPeer && e.Name == "broken");
        Assert.True(onB.IsValid, string.Join("; ", onB.Errors));
        Assert.Equal(["good"], onB.Config!.Peers.Select(p => p.Name));
        // The whole configuration, as plan and the controller see it, is invalid.
        Assert.False(ConfigParser.Parse(input).IsValid);
    }

    [Fact]
    public void An_object_whose_selector_does_not_parse_is_kept_so_its_error_is_reported()
    {
        var input = Input(B.Peer("bad-selector", s => s.NodeSelectors = [B.Expr("rack", "Sometimes", "1")]));
        var filtered = NodeConfigFilter.ForNode(input, "node-b");
        Assert.Equal(["bad-selector"], filtered.Peers.Select(p => p.Metadata.Name));
        Assert.Contains(ConfigParser.Parse(filtered).Errors, e => e.Name == "bad-selector");
    }

    [Fact]
    public void A_node_missing_from_the_list_has_no_labels()
    {
        var input = Input(B.Peer("all"), B.Peer("rack1", s => s.NodeSelectors = [B.Sel("rack=1")]));
        Assert.Equal(["all"], NodeConfigFilter.ForNode(input, "node-z").Peers.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void For_a_valid_whole_configuration_every_node_decides_the_same_with_or_without_the_filter()
    {
        // What plan relies on: it decides every node on the whole configuration, which for a
        // valid one gives each node what its own filtered configuration gives.
        var input = Input(B.Peer("all"), B.Peer("rack1", s => { s.PeerAddress = "192.0.2.2"; s.NodeSelectors = [B.Sel("rack=1")]; })) with
        {
            L2Advertisements = [B.L2("l2-rack1", s => s.NodeSelectors = [B.Sel("rack=1")]), B.L2("l2-all")],
        };
        var whole = ConfigAssert.Valid(ConfigParser.Parse(input));
        foreach (var ip in new[] { "192.0.2.10", "192.0.2.11", "192.0.2.12" })
        {
            var service = NodeFixtures.Svc(ip);
            foreach (var node in new[] { "node-a", "node-b" })
            {
                var own = ConfigAssert.Valid(ConfigParser.Parse(NodeConfigFilter.ForNode(input, node)));
                var slices = NodeFixtures.EndpointsOn("node-a");
                var expected = NodeAnnouncer.Decide(new SpeakerScope(node, whole, input.Nodes, null, false), service, slices);
                var actual = NodeAnnouncer.Decide(new SpeakerScope(node, own, input.Nodes, null, false), service, slices);
                Assert.Equal(expected, actual);
                Assert.True(actual.Bgp.Announce);
            }
        }
    }
}
