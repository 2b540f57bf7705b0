using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.InteropLab;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>Our listener (passive peers, collisions) and ROUTE-REFRESH, against real peers.</summary>
[Trait("Category", "Interop")]
public class PassiveAndRefreshInteropTests
{
    /// <summary>BIRD not passive: it dials us, retrying every second, so our listener gets its connection.</summary>
    private const string BirdThatDials = """
        router id 192.0.2.2;
        protocol device { scan time 1; }
        protocol bgp metallb {
          local 192.0.2.2 as 65001; neighbor 192.0.2.1 as 65000; hold time 9;
          connect delay time 1; connect retry time 1; error wait time 1, 2;
          ipv4 { import all; export none; };
        }
        """;

    [SkippableFact]
    public async Task A_passive_peer_accepts_birds_connection_and_announces()
    {
        await using var lab = InteropLab.Create("bird", "birdc");
        var bird = new Bird(lab.Net, lab.Peer, BirdThatDials);
        var speaker = lab.OurSpeaker("bird", bird.Describe, listenPort: 179);
        speaker.SetAdvertisements("bird", Routes(("203.0.113.50/32", Attrs(communities: ["65000:50"]))));
        await speaker.SetPeerAsync("bird", Ebgp with
        {
            Passive = true, HoldTime = TimeSpan.FromSeconds(9), Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4],
        });
        bird.Start();
        var routes = await Eventually.WaitAsync(() => bird.Routes("master4"), r => r.Count == 1, Deadline, "our route in BIRD over BIRD's connection");
        Assert.Contains("BGP.community: (65000,50)", routes["203.0.113.50/32"], StringComparison.Ordinal);
        var status = speaker.GetPeer("bird")!;
        Assert.Equal(BgpState.Established, status.State);
    }

    [SkippableFact]
    public async Task Route_refresh_from_bird_makes_us_resend()
    {
        await using var lab = InteropLab.Create("bird", "birdc");
        // Without an import table BIRD cannot reload from memory: "reload in" asks us (RFC 2918).
        var bird = new Bird(lab.Net, lab.Peer, """
            router id 192.0.2.2;
            protocol device { scan time 1; }
            protocol bgp metallb {
              local 192.0.2.2 as 65001; neighbor 192.0.2.1 as 65000; passive on; hold time 9;
              ipv4 { import all; export none; import table off; };
            }
            """);
        bird.Start();
        var speaker = lab.OurSpeaker("bird", bird.Describe);
        speaker.SetAdvertisements("bird", Routes(("203.0.113.60/32", Attrs()), ("203.0.113.61/32", Attrs())));
        await speaker.SetPeerAsync("bird", Ebgp with
        {
            Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4], HoldTime = TimeSpan.FromSeconds(9), ConnectRetryMin = TimeSpan.FromMilliseconds(500),
        });
        await Eventually.WaitAsync(() => bird.Routes("master4"), r => r.Count == 2, Deadline, "our routes in BIRD");
        var before = speaker.GetPeer("bird")!.UpdatesSent;
        Assert.True(speaker.GetPeer("bird")!.Session!.RouteRefresh);

        Assert.Contains("reload", bird.Birdc("reload in metallb"), StringComparison.OrdinalIgnoreCase);
        await Eventually.WaitAsync(() => speaker.GetPeer("bird")!.UpdatesSent, n => n > before, Deadline, "a resend after ROUTE-REFRESH");
        Assert.Equal(2, bird.Count("master4"));
        Assert.Equal(BgpState.Established, speaker.GetPeer("bird")!.State);
    }

    /// <summary>
    /// Both ends configured to dial and to listen, as routers usually are. Which connection wins
    /// depends on timing (often ours, before BIRD's connect delay), so this does not force an
    /// RFC 4271 §6.8 collision; it checks that the pair settles on one session.
    /// </summary>
    [SkippableFact]
    public async Task A_peer_that_also_dials_ends_with_one_established_session()
    {
        await using var lab = InteropLab.Create("bird", "birdc");
        var bird = new Bird(lab.Net, lab.Peer, BirdThatDials);
        var speaker = lab.OurSpeaker("bird", bird.Describe, listenPort: 179);
        speaker.SetAdvertisements("bird", Routes(("203.0.113.70/32", Attrs())));
        bird.Start();
        await speaker.SetPeerAsync("bird", Ebgp with
        {
            HoldTime = TimeSpan.FromSeconds(9), Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4], ConnectRetryMin = TimeSpan.FromMilliseconds(300),
        });
        await Eventually.WaitAsync(() => bird.Routes("master4"), r => r.Count == 1, Deadline, "our route in BIRD");
        Assert.Equal(BgpState.Established, speaker.GetPeer("bird")!.State);
        Assert.Contains("Established", bird.Birdc("show protocols metallb"), StringComparison.Ordinal);
    }
}
