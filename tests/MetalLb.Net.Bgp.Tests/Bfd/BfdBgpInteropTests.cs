using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Bfd.Wire;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Tests.Interop;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>
/// The hook the speaker uses (<see cref="BfdBgpBinding"/>): our BGP session to FRR bgpd follows
/// our BFD session to FRR bfdd. Only BFD's UDP is dropped, so TCP and BGP keepalives still flow:
/// nothing but BFD can be what takes BGP down.
/// </summary>
[Trait("Category", "Interop")]
public class BfdBgpInteropTests
{
    [SkippableFact]
    public async Task Bgp_goes_down_when_bfd_does_and_comes_back_with_it()
    {
        await using var bfd = await BfdLab.CreateAsync();
        NetLab.Require("bgpd");
        var speaker = bfd.Lab.OurSpeaker("frr", () => "");
        using var binding = new BfdBgpBinding(bfd.Engine, speaker);
        var transitions = new List<BgpPeerStateChange>();
        speaker.StateChanged += c => { lock (transitions) transitions.Add(c); };
        var frr = bfd.StartFrr(FrrBfdd.Config(FrrBfdd.PeerBlock("192.0.2.1", "192.0.2.2")), """
            frr defaults traditional
            router bgp 65001
             bgp router-id 192.0.2.2
             no bgp ebgp-requires-policy
             neighbor 192.0.2.1 remote-as 65000
             neighbor 192.0.2.1 timers 3 9
            """);
        speaker.SetAdvertisements("frr", InteropLab.Routes(("203.0.113.10/32", InteropLab.Attrs())));
        await speaker.SetPeerAsync("frr", InteropLab.Ebgp with { HoldTime = TimeSpan.FromSeconds(9), ConnectRetryMin = TimeSpan.FromMilliseconds(500) });
        await bfd.Engine.SetSessionAsync("frr", new BfdSessionOptions { PeerAddress = NetLab.Ip("192.0.2.2"), LocalAddress = NetLab.Ip("192.0.2.1") });
        await Eventually.WaitAsync(() => (speaker.GetPeer("frr")?.State, bfd.Engine.GetSession("frr")?.State), s => s == (BgpState.Established, BfdState.Up), InteropLab.Deadline, "BGP Established and BFD Up");

        bfd.Nft(bfd.Lab.Peer, """
            chain in { type filter hook input priority 0; udp dport 3784 drop; }
            chain out { type filter hook output priority 0; udp dport 3784 drop; }
            """);
        var down = await Eventually.WaitAsync(() => speaker.GetPeer("frr")!, p => p.State != BgpState.Established, InteropLab.Deadline, "BGP down after BFD");
        Assert.Equal(TransitionReason.BfdDown, down.LastReason);
        Assert.Equal(BfdState.Down, bfd.Engine.GetSession("frr")!.State);
        // FRR was told why (Cease 6/10) over the TCP session that still worked.
        await Eventually.WaitAsync(() => frr.Vtysh("show bgp neighbors 192.0.2.1 json"), j => j.Contains("\"bgpState\":\"Established\"", StringComparison.Ordinal) == false && j.Contains("Cease", StringComparison.Ordinal), InteropLab.Deadline, "FRR saw the Cease");

        BfdLab.NftFlush(bfd.Lab.Peer);
        await Eventually.WaitAsync(() => (speaker.GetPeer("frr")?.State, bfd.Engine.GetSession("frr")?.State), s => s == (BgpState.Established, BfdState.Up), InteropLab.Deadline, "BGP back with BFD");
        // Held while BFD was down, though TCP to FRR worked: the first move after BfdDown is BfdUp's dial.
        lock (transitions)
        {
            var after = transitions.SkipWhile(t => t.Reason != TransitionReason.BfdDown).ToList();
            Assert.Equal((BgpState.Established, BgpState.Idle), (after[0].From, after[0].To));
            Assert.Equal((TransitionReason.BfdUp, BgpState.Idle), (after[1].Reason, after[1].From));
        }
    }
}
