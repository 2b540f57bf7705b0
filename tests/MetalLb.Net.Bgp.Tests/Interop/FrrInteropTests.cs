using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.InteropLab;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>Our speaker against FRR 8.4 bgpd, checked with vtysh.</summary>
[Trait("Category", "Interop")]
public class FrrInteropTests
{
    private static BgpPeerOptions ToFrr(string localAddress, string peerAddress = "192.0.2.2") => Ebgp with
    {
        PeerAddress = Ip(peerAddress), RouterId = Ip(localAddress),
        HoldTime = TimeSpan.FromSeconds(9), ConnectRetryMin = TimeSpan.FromMilliseconds(500),
    };

    [SkippableFact]
    public async Task Ebgp_over_ipv4_delivers_ipv4_and_ipv6_routes_with_communities_then_withdrawals()
    {
        await using var lab = InteropLab.Create("vtysh", "bgpd");
        var frr = new Frr(lab.Net, lab.Peer, """
            frr defaults traditional
            router bgp 65001
             bgp router-id 192.0.2.2
             no bgp ebgp-requires-policy
             neighbor 192.0.2.1 remote-as 65000
             neighbor 192.0.2.1 passive
             neighbor 192.0.2.1 timers 3 9
             address-family ipv6 unicast
              neighbor 192.0.2.1 activate
             exit-address-family
            """);
        frr.Start();
        var speaker = lab.OurSpeaker("frr", frr.Describe);
        var attrs = Attrs(communities: ["65000:100"], large: ["65000:1:2"]);
        speaker.SetAdvertisements("frr", Routes(("203.0.113.10/32", attrs), ("2001:db8:10::/64", attrs)));
        await speaker.SetPeerAsync("frr", ToFrr("192.0.2.1") with { NextHopIPv6 = Ip("2001:db8::1") });

        var path = (await Eventually.WaitAsync(() => frr.Paths("203.0.113.10/32"), p => p.Count == 1, Deadline, "our IPv4 route in FRR"))[0];
        Assert.Equal(("65000", "IGP", "192.0.2.1"), (Frr.Text(path, "aspath"), Frr.Text(path, "origin"), Frr.NextHop(path)));
        Assert.Equal(("65000:100", "65000:1:2"), (Frr.Text(path, "community"), Frr.Text(path, "largeCommunity")));
        var v6 = (await Eventually.WaitAsync(() => frr.Paths("2001:db8:10::/64"), p => p.Count == 1, Deadline, "our IPv6 route in FRR"))[0];
        Assert.Equal("2001:db8::1", Frr.NextHop(v6));

        speaker.SetAdvertisements("frr", Routes(("2001:db8:10::/64", attrs)));
        await Eventually.WaitAsync(() => frr.Paths("203.0.113.10/32"), p => p.Count == 0, Deadline, "the withdrawal in FRR");
    }

    [SkippableFact]
    public async Task Two_speakers_announcing_one_prefix_give_frr_an_ecmp_route_with_two_next_hops()
    {
        // Node 1 is the lab's own namespace, the router its peer namespace; node 2 joins them.
        await using var lab = InteropLab.CreateUnlinked("vtysh", "bgpd", "zebra");
        var (node1, router) = (lab.Us, lab.Peer);
        var node2 = lab.Net.Namespace("n2");
        lab.Net.Link(node1, "192.0.2.1", "2001:db8:1::1", router, "192.0.2.2", "2001:db8:1::2");
        lab.Net.Link(node2, "198.51.100.1", "2001:db8:2::1", router, "198.51.100.2", "2001:db8:2::2");
        var frr = new Frr(lab.Net, router, """
            frr defaults traditional
            router bgp 65001
             bgp router-id 192.0.2.2
             no bgp ebgp-requires-policy
             neighbor 192.0.2.1 remote-as 65000
             neighbor 192.0.2.1 passive
             neighbor 198.51.100.1 remote-as 65000
             neighbor 198.51.100.1 passive
             address-family ipv4 unicast
              maximum-paths 2
             exit-address-family
            """, zebra: true);
        frr.Start();
        var speaker1 = lab.OurSpeaker("frr", frr.Describe);
        var speaker2 = lab.OurSpeaker("frr", frr.Describe, ns: node2);
        // Upstream's model: every node announces the service IP with its own address as next hop.
        foreach (var s in new[] { speaker1, speaker2 })
            s.SetAdvertisements("frr", Routes(("203.0.113.5/32", Attrs())));
        await speaker1.SetPeerAsync("frr", ToFrr("192.0.2.1"));
        await speaker2.SetPeerAsync("frr", ToFrr("198.51.100.1", "198.51.100.2"));

        var paths = await Eventually.WaitAsync(() => frr.Paths("203.0.113.5/32"),
            p => p.Count == 2 && p.All(x => Frr.Flag(x, "multipath")), Deadline, "two multipath routes in FRR");
        Assert.Equal(["192.0.2.1", "198.51.100.1"], paths.Select(Frr.NextHop).Order());
        // And zebra installed one kernel route with both next hops, as `ip route` shows it.
        var kernel = await Eventually.WaitAsync(() => InNs(router, "ip route show 203.0.113.5/32"),
            r => r.Contains("nexthop via 192.0.2.1", StringComparison.Ordinal) && r.Contains("nexthop via 198.51.100.1", StringComparison.Ordinal),
            Deadline, "an ECMP route in the router's kernel table");
        Assert.Contains("proto bgp", kernel, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task During_our_graceful_restart_frr_keeps_our_routes()
    {
        await using var lab = InteropLab.Create("vtysh", "bgpd");
        var frr = new Frr(lab.Net, lab.Peer, """
            frr defaults traditional
            router bgp 65001
             bgp router-id 192.0.2.2
             bgp graceful-restart
             no bgp ebgp-requires-policy
             neighbor 192.0.2.1 remote-as 65000
             neighbor 192.0.2.1 passive
             neighbor 192.0.2.1 timers 3 9
            """);
        frr.Start();
        var routes = Routes(("203.0.113.40/32", Attrs()));
        var options = ToFrr("192.0.2.1") with { GracefulRestart = true, Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4] };

        string FrrRestartView() => $"{frr.Vtysh("show bgp neighbors 192.0.2.1 graceful-restart")}\n{frr.Vtysh("show bgp ipv4 unicast")}";

        var before = lab.OurSpeaker("frr", FrrRestartView);
        before.SetAdvertisements("frr", routes);
        await before.SetPeerAsync("frr", options);
        await Eventually.WaitAsync(() => frr.Paths("203.0.113.40/32"), p => p.Count == 1, Deadline, "our route in FRR");
        var session = before.GetPeer("frr")!.Session!;
        Assert.True(session.GracefulRestart, "FRR offered graceful restart, so it is negotiated");

        // Our process goes away without a NOTIFICATION (RFC 4724 §4): FRR must keep the route, stale.
        await lab.StopGracefullyAsync(before);
        await Eventually.WaitAsync(() => frr.NeighborState("192.0.2.1"), s => s is not "Established" and not "", Deadline, "FRR to notice we left");
        var kept = Assert.Single(frr.Paths("203.0.113.40/32"));
        Assert.True(Frr.Flag(kept, "stale"), "the kept route is marked stale");

        // We come back with the Restart State bit; our End-of-RIB clears the stale mark.
        var after = lab.OurSpeaker("frr", FrrRestartView, restarting: true);
        after.SetAdvertisements("frr", routes);
        await after.SetPeerAsync("frr", options);
        var fresh = await Eventually.WaitAsync(() => frr.Paths("203.0.113.40/32"), p => p.Count == 1 && !Frr.Flag(p[0], "stale"), Deadline, "the route refreshed by the restarted speaker");
        Assert.Equal("192.0.2.1", Frr.NextHop(fresh[0]));
        Assert.Equal(BgpState.Established, after.GetPeer("frr")!.State);
    }
}
