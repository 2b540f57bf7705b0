using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Bfd.Wire;
using MetalLb.Net.Bgp.Tests.Interop;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>Our BFD engine against FRR 8.4's bfdd in network namespaces (root; scripts/install/bgp-peers.sh).</summary>
[Trait("Category", "Interop")]
public class BfdInteropTests
{
    private static readonly TimeSpan Deadline = InteropLab.Deadline;

    public static TheoryData<string, int, int, byte, bool, bool> Profiles => new()
    {
        // name, receive ms, transmit ms, multiplier, IPv6, multihop
        { "metallb defaults 300/300 x3", 300, 300, 3, false, false },
        { "fast 100/200 x5", 100, 200, 5, false, false },
        { "slow 1000/1000 x2", 1000, 1000, 2, false, false },
        { "IPv6 single hop", 300, 300, 3, true, false },
        { "IPv4 multihop (4784)", 300, 300, 3, false, true },
        { "IPv6 multihop (4784)", 250, 400, 4, true, true },
    };

    [SkippableTheory]
    [MemberData(nameof(Profiles))]
    public async Task Sessions_come_up_and_FRR_sees_our_parameters(string name, int rx, int tx, byte mult, bool v6, bool multihop)
    {
        await using var bfd = await BfdLab.CreateAsync();
        var (us, peer) = v6 ? ("2001:db8::1", "2001:db8::2") : ("192.0.2.1", "192.0.2.2");
        // FRR runs the MetalLB defaults; ours is the profile under test.
        var frr = bfd.StartFrr(FrrBfdd.Config(FrrBfdd.PeerBlock(us, peer, multihop: multihop)));
        await bfd.Engine.SetSessionAsync("p", new BfdSessionOptions
        {
            PeerAddress = NetLab.Ip(peer), LocalAddress = NetLab.Ip(us), Multihop = multihop,
            ReceiveInterval = TimeSpan.FromMilliseconds(rx), TransmitInterval = TimeSpan.FromMilliseconds(tx), DetectMultiplier = mult,
        });

        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status(us)), s => s == (BfdState.Up, "up"), Deadline, $"{name}: both sides Up");
        // FRR shows our parameters once its poll sequence has taken our values.
        var seen = await Eventually.WaitAsync(() => frr.Peer(us)!.Value,
            p => p.GetProperty("remote-receive-interval").GetInt32() == rx && p.GetProperty("remote-transmit-interval").GetInt32() == tx,
            Deadline, $"{name}: FRR shows our intervals");
        Assert.Equal(mult, seen.GetProperty("remote-detect-multiplier").GetInt32());
        Assert.Equal(multihop, seen.GetProperty("multihop").GetBoolean());
        Assert.Equal(0, seen.GetProperty("remote-echo-receive-interval").GetInt32());   // we do no echo
        var ours = bfd.Engine.GetSession("p")!;
        Assert.Equal(seen.GetProperty("id").GetUInt32(), ours.RemoteDiscriminator);
        Assert.Equal(seen.GetProperty("remote-id").GetUInt32(), ours.LocalDiscriminator);
        // Our detection time: FRR's multiplier (3) x max(our rx, FRR's tx 300 ms).
        Assert.Equal(3 * TimeSpan.FromMilliseconds(Math.Max(rx, 300)), ours.DetectionTime);
        Assert.Empty(bfd.Engine.Dropped);
    }

    [SkippableFact]
    public async Task Drops_on_the_link_bring_both_sides_down_and_lifting_them_brings_both_up()
    {
        await using var bfd = await BfdLab.CreateAsync();
        var frr = bfd.StartFrr(FrrBfdd.Config(FrrBfdd.PeerBlock("192.0.2.1", "192.0.2.2")));
        var changes = new List<BfdSessionStateChange>();
        bfd.Engine.StateChanged += c => { lock (changes) changes.Add(c); };
        await bfd.Engine.SetSessionAsync("p", new BfdSessionOptions { PeerAddress = NetLab.Ip("192.0.2.2"), LocalAddress = NetLab.Ip("192.0.2.1") });
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status("192.0.2.1")), s => s == (BfdState.Up, "up"), Deadline, "both Up");

        // Every BFD packet on the peer's side of the link is lost, both ways.
        bfd.Nft(bfd.Lab.Peer, """
            chain in { type filter hook input priority 0; udp dport 3784 drop; }
            chain out { type filter hook output priority 0; udp dport 3784 drop; }
            """);
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status("192.0.2.1")), s => s == (BfdState.Down, "down"), Deadline, "both Down");
        Assert.Equal(BfdDiagnostic.ControlDetectionTimeExpired, bfd.Engine.GetSession("p")!.LocalDiagnostic);
        Assert.Equal("control detection time expired", frr.Peer("192.0.2.1")!.Value.GetProperty("diagnostic").GetString());
        BfdSessionStateChange down;
        lock (changes)
            down = changes.Single(c => c.From == BfdState.Up);
        Assert.True(down.IsFailure);

        BfdLab.NftFlush(bfd.Lab.Peer);
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status("192.0.2.1")), s => s == (BfdState.Up, "up"), Deadline, "both Up again");
        Assert.Equal(2, bfd.Engine.GetSession("p")!.SessionUpEvents);
        Assert.Equal(1, bfd.Engine.GetSession("p")!.SessionDownEvents);
    }

    [SkippableFact]
    public async Task Passive_mode_waits_for_FRR()
    {
        await using var bfd = await BfdLab.CreateAsync();
        // FRR starts passive towards us, and active towards an absent 192.0.2.3: its packets to
        // .3, counted by nft, are our clock that time has passed while nobody spoke to us.
        bfd.Nft(bfd.Lab.Peer, "chain out { type filter hook output priority 0; ip daddr 192.0.2.3 udp dport 3784 counter; }");
        var frr = bfd.StartFrr(FrrBfdd.Config(
            FrrBfdd.PeerBlock("192.0.2.1", "192.0.2.2", passive: true), FrrBfdd.PeerBlock("192.0.2.3", "192.0.2.2")));
        await bfd.Engine.SetSessionAsync("p", new BfdSessionOptions { PeerAddress = NetLab.Ip("192.0.2.2"), LocalAddress = NetLab.Ip("192.0.2.1"), PassiveMode = true });
        await Eventually.WaitAsync(() => NftPackets(bfd.Lab.Peer), n => n >= 3, Deadline, "FRR sent 3 packets to 192.0.2.3 (about 2 s)");
        var quiet = bfd.Engine.GetSession("p")!;
        Assert.Equal((BfdState.Down, 0L, 0L), (quiet.State, quiet.ControlPacketOutput, quiet.ControlPacketInput));

        frr.Vtysh("configure terminal", "bfd", "peer 192.0.2.1 local-address 192.0.2.2", "no passive-mode");
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status("192.0.2.1")), s => s == (BfdState.Up, "up"), Deadline, "Up once FRR speaks");
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_wrong_TTL_is_ignored(bool v6)
    {
        await using var bfd = await BfdLab.CreateAsync();
        var (us, peer) = v6 ? ("2001:db8::1", "2001:db8::2") : ("192.0.2.1", "192.0.2.2");
        // FRR's packets leave with TTL 254, as if they had crossed a router (RFC 5881 §5).
        bfd.Nft(bfd.Lab.Peer, v6
            ? "chain out { type filter hook output priority 0; udp dport 3784 ip6 hoplimit set 254; }"
            : "chain out { type filter hook output priority 0; udp dport 3784 ip ttl set 254; }");
        var frr = bfd.StartFrr(FrrBfdd.Config(FrrBfdd.PeerBlock(us, peer)));
        await bfd.Engine.SetSessionAsync("p", new BfdSessionOptions { PeerAddress = NetLab.Ip(peer), LocalAddress = NetLab.Ip(us) });
        await Eventually.WaitAsync(() => bfd.Engine.Dropped.GetValueOrDefault(BfdDropReason.WrongTtl), n => n >= 3, Deadline, "3 packets dropped for their TTL");
        var session = bfd.Engine.GetSession("p")!;
        Assert.Equal((BfdState.Down, 0L, 0u), (session.State, session.ControlPacketInput, session.RemoteDiscriminator));
        Assert.NotEqual("up", frr.Status(us));

        BfdLab.NftFlush(bfd.Lab.Peer);   // the same packets with TTL 255 are accepted
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status(us)), s => s == (BfdState.Up, "up"), Deadline, "Up with TTL 255");
    }

    [SkippableFact]
    public async Task Multihop_enforces_the_profile_minimum_TTL()
    {
        await using var bfd = await BfdLab.CreateAsync();
        bfd.Nft(bfd.Lab.Peer, "chain out { type filter hook output priority 0; udp dport 4784 ip ttl set 250; }");
        var frr = bfd.StartFrr(FrrBfdd.Config(FrrBfdd.PeerBlock("192.0.2.1", "192.0.2.2", multihop: true)));
        var options = new BfdSessionOptions { PeerAddress = NetLab.Ip("192.0.2.2"), LocalAddress = NetLab.Ip("192.0.2.1"), Multihop = true, MinimumTtl = 254 };
        await bfd.Engine.SetSessionAsync("p", options);
        await Eventually.WaitAsync(() => bfd.Engine.Dropped.GetValueOrDefault(BfdDropReason.WrongTtl), n => n >= 2, Deadline, "TTL 250 < 254 dropped");
        Assert.Equal(BfdState.Down, bfd.Engine.GetSession("p")!.State);

        // A profile that allows 4 more hops takes the same packets.
        await bfd.Engine.SetSessionAsync("p", options with { MinimumTtl = 250 });
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status("192.0.2.1")), s => s == (BfdState.Up, "up"), Deadline, "Up with minimumTtl 250");
    }

    private static long NftPackets(string ns)
    {
        var text = NetLab.InNs(ns, "nft list table inet bfdtest", check: false);
        var at = text.IndexOf("packets ", StringComparison.Ordinal);
        return at < 0 ? 0 : long.Parse(text[(at + 8)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
