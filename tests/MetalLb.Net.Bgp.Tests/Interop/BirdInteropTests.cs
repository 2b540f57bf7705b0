using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.InteropLab;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>Our speaker against BIRD 2.0.12, checked with `birdc show route all`.</summary>
[Trait("Category", "Interop")]
public class BirdInteropTests
{
    [SkippableFact]
    public async Task Ebgp_over_ipv4_delivers_ipv4_and_ipv6_routes_with_communities_then_withdrawals()
    {
        await using var lab = InteropLab.Create("bird", "birdc");
        var bird = new Bird(lab.Net, lab.Peer, """
            router id 192.0.2.2;
            protocol device { scan time 1; }
            protocol bgp metallb {
              local 192.0.2.2 as 65001; neighbor 192.0.2.1 as 65000; passive on; hold time 9;
              ipv4 { import all; export none; };
              ipv6 { import all; export none; };
            }
            """);
        bird.Start();
        var speaker = lab.OurSpeaker("bird", bird.Describe);
        var attrs = Attrs(communities: ["65000:100"], large: ["65000:1:2"]);
        speaker.SetAdvertisements("bird", Routes(("203.0.113.10/32", attrs), ("203.0.113.11/32", attrs), ("2001:db8:10::/64", attrs)));
        await speaker.SetPeerAsync("bird", Ebgp with
        {
            NextHopIPv6 = Ip("2001:db8::1"), HoldTime = TimeSpan.FromSeconds(9), ConnectRetryMin = TimeSpan.FromMilliseconds(500),
        });

        var v4 = await Eventually.WaitAsync(() => bird.Routes("master4"), r => r.Count == 2, Deadline, "2 IPv4 routes in BIRD");
        var route = v4["203.0.113.10/32"];
        Assert.Contains("via 192.0.2.1", route, StringComparison.Ordinal);
        Assert.Contains("BGP.as_path: 65000", route, StringComparison.Ordinal);
        Assert.Contains("BGP.origin: IGP", route, StringComparison.Ordinal);
        Assert.Contains("BGP.community: (65000,100)", route, StringComparison.Ordinal);
        Assert.Contains("BGP.large_community: (65000, 1, 2)", route, StringComparison.Ordinal);
        var v6 = await Eventually.WaitAsync(() => bird.Routes("master6"), r => r.Count == 1, Deadline, "the IPv6 route in BIRD");
        Assert.Contains("BGP.next_hop: 2001:db8::1", v6["2001:db8:10::/64"], StringComparison.Ordinal);

        speaker.SetAdvertisements("bird", Routes(("203.0.113.11/32", attrs)));
        await Eventually.WaitAsync(() => (V4: bird.Routes("master4"), V6: bird.Count("master6")),
            r => r.V4.Count == 1 && r.V4.ContainsKey("203.0.113.11/32") && r.V6 == 0, Deadline, "withdrawals in BIRD");
    }

    [SkippableFact]
    public async Task Ibgp_over_ipv6_with_4_octet_asn_and_md5_carries_local_pref()
    {
        await using var lab = InteropLab.Create("bird", "birdc");
        var bird = new Bird(lab.Net, lab.Peer, """
            router id 192.0.2.2;
            protocol device { scan time 1; }
            protocol bgp metallb {
              local 2001:db8::2 as 4200000001; neighbor 2001:db8::1 as 4200000001; passive on; hold time 9; direct;
              password "metallb-s3cret";
              ipv4 { import all; export none; gateway direct; };
              ipv6 { import all; export none; gateway direct; };
            }
            """);
        bird.Start();
        var speaker = lab.OurSpeaker("bird", bird.Describe);
        speaker.SetAdvertisements("bird", Routes(("203.0.113.20/32", Attrs(localPref: 200)), ("2001:db8:20::1/128", Attrs(localPref: 200))));
        await speaker.SetPeerAsync("bird", new BgpPeerOptions
        {
            PeerAddress = Ip("2001:db8::2"), PeerAs = 4200000001, LocalAs = 4200000001, RouterId = Ip("192.0.2.1"),
            Password = "metallb-s3cret", NextHopIPv4 = Ip("192.0.2.1"), HoldTime = TimeSpan.FromSeconds(9),
            ConnectRetryMin = TimeSpan.FromMilliseconds(500),
        });
        var v4 = await Eventually.WaitAsync(() => bird.Routes("master4"), r => r.Count == 1, Deadline, "the IPv4 route in BIRD");
        Assert.Contains("BGP.local_pref: 200", v4["203.0.113.20/32"], StringComparison.Ordinal);
        Assert.Contains("via 192.0.2.1", v4["203.0.113.20/32"], StringComparison.Ordinal);
        var v6 = await Eventually.WaitAsync(() => bird.Routes("master6"), r => r.Count == 1, Deadline, "the IPv6 route in BIRD");
        Assert.Contains("BGP.local_pref: 200", v6["2001:db8:20::1/128"], StringComparison.Ordinal);
        Assert.Contains("BGP.as_path:\n", v6["2001:db8:20::1/128"], StringComparison.Ordinal); // iBGP: empty path
        Assert.Equal(BgpState.Established, speaker.GetPeer("bird")!.State);
    }
}
