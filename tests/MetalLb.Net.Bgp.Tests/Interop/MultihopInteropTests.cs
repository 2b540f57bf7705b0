using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.InteropLab;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>eBGP to BIRD two hops away, through a router namespace: TTL 1 cannot reach it, ebgpMultiHop can.</summary>
[Trait("Category", "Interop")]
public class MultihopInteropTests
{
    [SkippableFact]
    public async Task A_peer_behind_a_router_needs_ebgp_multihop()
    {
        await using var lab = InteropLab.CreateUnlinked("bird", "birdc", "sysctl", "ss");
        var (us, peer) = (lab.Us, lab.Peer);
        var router = lab.Net.Namespace("r");
        lab.Net.Link(us, "192.0.2.1", "2001:db8:1::1", router, "192.0.2.254", "2001:db8:1::fe");
        lab.Net.Link(router, "198.51.100.254", "2001:db8:2::fe", peer, "198.51.100.2", "2001:db8:2::2");
        InNs(router, "sysctl -qw net.ipv4.ip_forward=1");
        Run("ip", $"-n {us} route add 198.51.100.0/24 via 192.0.2.254");
        Run("ip", $"-n {peer} route add 192.0.2.0/24 via 198.51.100.254");
        var bird = new Bird(lab.Net, peer, """
            router id 198.51.100.2;
            protocol device { scan time 1; }
            protocol bgp metallb {
              local 198.51.100.2 as 65001; neighbor 192.0.2.1 as 65000; passive on; multihop 2;
              ipv4 { import all; export none; };
            }
            """);
        bird.Start();
        // BIRD listening first, so a failed dial below can only be the TTL.
        await Eventually.WaitAsync(() => InNs(peer, "ss -ltn"), o => o.Contains(":179 ", StringComparison.Ordinal), Deadline, "BIRD listening");
        var speaker = lab.OurSpeaker("bird", bird.Describe);
        speaker.SetAdvertisements("bird", Routes(("203.0.113.90/32", Attrs())));
        var options = Ebgp with
        {
            PeerAddress = Ip("198.51.100.2"), Families = [MetalLb.Net.Bgp.Wire.Afi.IPv4], ConnectTime = TimeSpan.FromSeconds(1), ConnectRetryMin = TimeSpan.FromMilliseconds(300),
        };
        var failures = 0;
        speaker.StateChanged += c =>
        {
            if (c.To == BgpState.Idle && c.Reason is TransitionReason.ConnectRetryTimerExpired or TransitionReason.TcpConnectionFailed)
                Interlocked.Increment(ref failures);
        };

        // Single-hop eBGP sends TTL 1 (as FRR does): the router drops our SYN.
        await speaker.SetPeerAsync("bird", options);
        await Eventually.WaitAsync(() => Volatile.Read(ref failures), n => n >= 2, Deadline, "two failed dials with TTL 1");
        Assert.NotEqual(BgpState.Established, speaker.GetPeer("bird")!.State);

        await speaker.SetPeerAsync("bird", options with { EbgpMultihop = true });
        var routes = await Eventually.WaitAsync(() => bird.Routes("master4"), r => r.Count == 1, Deadline, "our route in BIRD two hops away");
        Assert.Contains("BGP.next_hop: 192.0.2.1", routes["203.0.113.90/32"], StringComparison.Ordinal);
    }
}
