using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using static MetalLb.Net.Bgp.Tests.Interop.InteropLab;
using static MetalLb.Net.Bgp.Tests.Interop.NetLab;

namespace MetalLb.Net.Bgp.Tests.Interop;

/// <summary>Our speaker against gobgpd 3.10, checked with gobgp's own CLI.</summary>
[Trait("Category", "Interop")]
public class GobgpInteropTests
{
    [SkippableFact]
    public async Task Ebgp_over_ipv4_delivers_ipv4_and_ipv6_routes_with_communities_then_withdrawals()
    {
        await using var lab = InteropLab.Create("gobgpd", "gobgp");
        var gobgp = new Gobgp(lab.Net, lab.Peer, 65001, "192.0.2.2", "192.0.2.1", 65000);
        gobgp.Start();
        var speaker = lab.OurSpeaker("gobgp", gobgp.Describe);
        var attrs = Attrs(communities: ["65000:100"], large: ["65000:1:2"]);
        speaker.SetAdvertisements("gobgp", Routes(("203.0.113.10/32", attrs), ("203.0.113.11/32", attrs), ("2001:db8:10::/64", attrs)));
        await speaker.SetPeerAsync("gobgp", Ebgp with
        {
            NextHopIPv6 = Ip("2001:db8::1"), HoldTime = TimeSpan.FromSeconds(9), ConnectRetryMin = TimeSpan.FromMilliseconds(500),
        });

        var v4 = await Eventually.WaitAsync(() => gobgp.Rib("ipv4"), r => r.Count == 2, Deadline, "2 IPv4 routes in gobgp's RIB");
        var path = v4["203.0.113.10/32"];
        Assert.Contains("\"nexthop\":\"192.0.2.1\"", path, StringComparison.Ordinal);
        Assert.Contains("\"asns\":[65000]", path, StringComparison.Ordinal);
        Assert.Contains("\"communities\":[4259840100]", path, StringComparison.Ordinal); // 65000:100
        Assert.Contains("{\"ASN\":65000,\"LocalData1\":1,\"LocalData2\":2}", path, StringComparison.Ordinal);
        var v6 = await Eventually.WaitAsync(() => gobgp.Rib("ipv6"), r => r.Count == 1, Deadline, "the IPv6 route in gobgp's RIB");
        Assert.Contains("\"nexthop\":\"2001:db8::1\"", v6["2001:db8:10::/64"], StringComparison.Ordinal);
        Assert.Equal(6, gobgp.SessionState());

        speaker.SetAdvertisements("gobgp", Routes(("203.0.113.11/32", attrs)));
        var after = await Eventually.WaitAsync(() => (V4: gobgp.Rib("ipv4"), V6: gobgp.Rib("ipv6")),
            r => r.V4.Count == 1 && r.V6.Count == 0, Deadline, "withdrawals in gobgp's RIB");
        Assert.True(after.V4.ContainsKey("203.0.113.11/32"));
    }

    [SkippableFact]
    public async Task Ibgp_over_ipv6_with_4_octet_asn_and_md5_carries_local_pref()
    {
        await using var lab = InteropLab.Create("gobgpd", "gobgp");
        var gobgp = new Gobgp(lab.Net, lab.Peer, 4200000001, "192.0.2.2", "2001:db8::1", 4200000001, password: "metallb-s3cret");
        gobgp.Start();
        var speaker = lab.OurSpeaker("gobgp", gobgp.Describe);
        speaker.SetAdvertisements("gobgp", Routes(("203.0.113.20/32", Attrs(localPref: 200)), ("2001:db8:20::1/128", Attrs(localPref: 200))));
        await speaker.SetPeerAsync("gobgp", new BgpPeerOptions
        {
            PeerAddress = Ip("2001:db8::2"), PeerAs = 4200000001, LocalAs = 4200000001, RouterId = Ip("192.0.2.1"),
            Password = "metallb-s3cret", NextHopIPv4 = Ip("192.0.2.1"), HoldTime = TimeSpan.FromSeconds(9),
            ConnectRetryMin = TimeSpan.FromMilliseconds(500),
        });
        var v4 = await Eventually.WaitAsync(() => gobgp.Rib("ipv4"), r => r.Count == 1, Deadline, "the IPv4 route over the IPv6 session");
        Assert.Contains("{\"type\":5,\"value\":200}", v4["203.0.113.20/32"], StringComparison.Ordinal);
        Assert.Contains("\"nexthop\":\"192.0.2.1\"", v4["203.0.113.20/32"], StringComparison.Ordinal);
        var v6 = await Eventually.WaitAsync(() => gobgp.Rib("ipv6"), r => r.Count == 1, Deadline, "the IPv6 route");
        Assert.Contains("{\"type\":5,\"value\":200}", v6["2001:db8:20::1/128"], StringComparison.Ordinal);
        var status = speaker.GetPeer("gobgp")!;
        Assert.Equal((BgpState.Established, true, 4200000001u), (status.State, status.Session!.FourOctetAs, status.Session.PeerAs));
    }

    [SkippableFact]
    public async Task Md5_with_the_wrong_password_never_establishes()
    {
        await using var lab = InteropLab.Create("gobgpd", "gobgp", "nstat");
        var failuresBefore = Md5Failures(lab.Peer);
        var gobgp = new Gobgp(lab.Net, lab.Peer, 65001, "192.0.2.2", "192.0.2.1", 65000, password: "right");
        gobgp.Start();
        var speaker = lab.OurSpeaker("gobgp", gobgp.Describe);
        await speaker.SetPeerAsync("gobgp", Ebgp with
        {
            Password = "wrong", ConnectTime = TimeSpan.FromSeconds(1), ConnectRetryMin = TimeSpan.FromMilliseconds(200),
        });
        // gobgpd's kernel drops our badly signed SYNs: the dial times out, twice, and nothing establishes.
        var changes = 0;
        speaker.StateChanged += c => { if (c.Reason == TransitionReason.ConnectRetryTimerExpired && c.To == BgpState.Idle) Interlocked.Increment(ref changes); };
        await Eventually.WaitAsync(() => Volatile.Read(ref changes), n => n >= 2, Deadline, "two timed-out dials");
        Assert.NotEqual(BgpState.Established, speaker.GetPeer("gobgp")!.State);
        Assert.NotEqual(6, gobgp.SessionState());
        // The peer's kernel counted our SYNs as carrying a wrong MD5 signature (TCPMD5Failure), so
        // we did sign them; unsigned SYNs would count as TCPMD5NotFound instead. At least one: a
        // dial made before gobgpd listens is refused without reaching the MD5 check.
        Assert.True(Md5Failures(lab.Peer) > failuresBefore, $"TcpExtTCPMD5Failure went from {failuresBefore} to {Md5Failures(lab.Peer)}");
    }

    /// <summary>The namespace's TcpExtTCPMD5Failure counter, absolute, without touching nstat's history file (-s).</summary>
    private static long Md5Failures(string ns)
    {
        var line = InNs(ns, "nstat -asz TcpExtTCPMD5Failure").Split('\n')
            .Single(l => l.StartsWith("TcpExtTCPMD5Failure", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [SkippableFact]
    public async Task A_frozen_peer_is_dropped_by_our_hold_timer_and_a_restarted_one_gets_our_routes_again()
    {
        await using var lab = InteropLab.Create("gobgpd", "gobgp");
        var gobgp = new Gobgp(lab.Net, lab.Peer, 65001, "192.0.2.2", "192.0.2.1", 65000, holdTime: 3);
        gobgp.Start();
        var speaker = lab.OurSpeaker("gobgp", gobgp.Describe);
        speaker.SetAdvertisements("gobgp", Routes(("203.0.113.30/32", Attrs())));
        await speaker.SetPeerAsync("gobgp", Ebgp with
        {
            HoldTime = TimeSpan.FromSeconds(3), ConnectTime = TimeSpan.FromSeconds(2), ConnectRetryMin = TimeSpan.FromMilliseconds(200),
        });
        await Eventually.WaitAsync(() => gobgp.Rib("ipv4"), r => r.Count == 1, Deadline, "our route in gobgp");

        // SIGSTOP: the TCP connection stays open but the peer falls silent; only a hold timer notices.
        BgpPeerStateChange? down = null;
        speaker.StateChanged += c => { if (c.From == BgpState.Established) down = c; };
        Stop(gobgp.Process!, "STOP");
        await Eventually.WaitAsync(() => down, d => d is not null, Deadline, "our session to drop");
        Assert.Equal(TransitionReason.HoldTimerExpired, down!.Reason);
        Assert.Equal(MetalLb.Net.Bgp.Wire.BgpErrorCode.HoldTimerExpired, down.Error.Code);

        Stop(gobgp.Process!, "KILL");
        gobgp.Start();
        await Eventually.WaitAsync(() => gobgp.Rib("ipv4"), r => r.ContainsKey("203.0.113.30/32"), Deadline, "our route in the restarted gobgpd");
        Assert.Equal(BgpState.Established, speaker.GetPeer("gobgp")!.State);
    }
}
