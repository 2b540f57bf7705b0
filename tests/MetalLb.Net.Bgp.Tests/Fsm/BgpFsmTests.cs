using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Wire;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Bgp.Tests.Fsm;

/// <summary>The FSM on a manual clock: nothing sleeps, time moves when the test says so.</summary>
public class BgpFsmTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private DateTimeOffset Now => _clock.GetUtcNow();

    private static BgpFsmOptions Options(bool passive = false, uint peerAs = 65001) => new()
    {
        LocalAs = 65000, PeerAs = peerAs, RouterId = 0xC0000201, HoldTime = TimeSpan.FromSeconds(90), Passive = passive,
        GracefulRestartTime = TimeSpan.FromSeconds(120),
    };

    private static OpenMessage PeerOpen(uint asn = 65001, ushort hold = 30, params BgpCapability[] extra) =>
        OpenMessage.Create(asn, hold, 0xC0000202,
            [BgpCapability.Multiprotocol(Afi.IPv4, Safi.Unicast), BgpCapability.Multiprotocol(Afi.IPv6, Safi.Unicast),
             BgpCapability.FourOctetAs(asn), BgpCapability.RouteRefresh(), .. extra]);

    private FsmStep Receive(BgpFsm fsm, BgpMessage m) => fsm.Handle(new BgpEvent.MessageReceived(m), Now);

    private static BgpError SentNotification(FsmStep step) =>
        step.Actions.OfType<FsmAction.Send>().Select(s => s.Message).OfType<NotificationMessage>().Single().Error;

    private BgpFsm Established(BgpFsmOptions? options = null, ushort peerHold = 30)
    {
        var fsm = new BgpFsm(options ?? Options());
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), Now);
        Receive(fsm, PeerOpen(hold: peerHold));
        Receive(fsm, KeepaliveMessage.Instance);
        Assert.Equal(BgpState.Established, fsm.State);
        return fsm;
    }

    private List<FsmStep> AdvanceTo(BgpFsm fsm, DateTimeOffset until)
    {
        var steps = new List<FsmStep>();
        while (fsm.NextDeadline is { } d && d <= until)
        {
            _clock.SetUtcNow(d);
            steps.Add(fsm.Tick(Now));
        }
        _clock.SetUtcNow(until);
        return steps;
    }

    [Fact]
    public void Active_open_reaches_established_and_negotiates_the_smaller_hold_time()
    {
        var fsm = new BgpFsm(Options());
        var start = fsm.Handle(new BgpEvent.ManualStart(), Now);
        Assert.Equal((BgpState.Connect, TransitionReason.ManualStart), (start.State, start.Reason));
        Assert.IsType<FsmAction.Connect>(Assert.Single(start.Actions));

        var connected = fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), Now);
        var open = Assert.IsType<OpenMessage>(Assert.IsType<FsmAction.Send>(Assert.Single(connected.Actions)).Message);
        Assert.Equal((BgpState.OpenSent, (ushort)90, 65000u), (connected.State, open.HoldTime, open.PeerAs));
        Assert.Contains(open.Capabilities, c => c.Code == CapabilityCode.GracefulRestart);

        var confirm = Receive(fsm, PeerOpen(hold: 30));
        Assert.Equal(BgpState.OpenConfirm, confirm.State);
        Assert.IsType<KeepaliveMessage>(Assert.IsType<FsmAction.Send>(Assert.Single(confirm.Actions)).Message);

        var up = Receive(fsm, KeepaliveMessage.Instance);
        var session = Assert.IsType<FsmAction.SessionEstablished>(Assert.Single(up.Actions)).Session;
        Assert.Equal(BgpState.Established, up.State);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), (session.HoldTime, session.KeepaliveTime));
        Assert.True(session.FourOctetAs && session.RouteRefresh);
        Assert.Equal([Afi.IPv4, Afi.IPv6], session.Families);
        Assert.False(session.GracefulRestart); // the peer did not offer it
    }

    [Fact]
    public void Keepalives_go_out_every_third_of_the_hold_time_and_a_silent_peer_is_dropped()
    {
        var fsm = Established(peerHold: 30);
        var t0 = Now;
        // The peer talks at 25 s, so the hold timer restarts there.
        var before = AdvanceTo(fsm, t0.AddSeconds(25));
        Receive(fsm, KeepaliveMessage.Instance);
        Assert.Equal(2, before.Count(s => s.Reason == TransitionReason.KeepaliveTimerExpired));
        var after = AdvanceTo(fsm, t0.AddSeconds(25 + 30));
        var expired = Assert.Single(after, s => s.Reason == TransitionReason.HoldTimerExpired);
        Assert.Equal(BgpState.Idle, expired.State);
        Assert.Equal(BgpErrorCode.HoldTimerExpired, SentNotification(expired).Code);
        Assert.Contains(expired.Actions, a => a is FsmAction.SessionDown { Reason: TransitionReason.HoldTimerExpired });
        Assert.Equal(t0.AddSeconds(55), Now);
    }

    [Fact]
    public void Hold_time_zero_means_no_timers_at_all()
    {
        var fsm = Established(peerHold: 0);
        Assert.Null(fsm.NextDeadline);
        Assert.Equal(TimeSpan.Zero, fsm.Session!.HoldTime);
    }

    [Fact]
    public void Connect_retries_back_off_doubling_up_to_the_cap_and_reset_after_established()
    {
        var fsm = new BgpFsm(Options() with { ConnectRetryMax = TimeSpan.FromSeconds(8) });
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        var gaps = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var failedAt = Now;
            fsm.Handle(new BgpEvent.TcpConnectionFailed(), Now);
            Assert.Equal(BgpState.Idle, fsm.State);
            var retry = AdvanceTo(fsm, fsm.NextDeadline!.Value).Single();
            Assert.Equal((BgpState.Connect, TransitionReason.ConnectRetryTimerExpired), (retry.State, retry.Reason));
            gaps.Add((Now - failedAt).TotalSeconds);
        }
        Assert.Equal([1, 2, 4, 8, 8, 8], gaps);
        Assert.Equal(6, fsm.ConnectRetryCounter);

        fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), Now);
        Receive(fsm, PeerOpen());
        Receive(fsm, KeepaliveMessage.Instance);
        Assert.Equal(0, fsm.ConnectRetryCounter);
        var t = Now;
        fsm.Handle(new BgpEvent.TcpConnectionClosed(), Now);
        Assert.Equal(t.AddSeconds(1), fsm.NextDeadline);
    }

    [Fact]
    public void A_connect_that_hangs_is_abandoned_after_the_connect_timeout()
    {
        var fsm = new BgpFsm(Options());
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        var step = AdvanceTo(fsm, Now.AddSeconds(10)).Single();
        Assert.Equal((BgpState.Idle, TransitionReason.ConnectRetryTimerExpired), (step.State, step.Reason));
        Assert.Contains(step.Actions, a => a is FsmAction.CloseConnection);
    }

    public static TheoryData<string, BgpMessage, uint, byte, byte> OpenErrors => new()
    {
        { "wrong peer AS", PeerOpen(asn: 65099), 65001, 2, 2 },
        { "IPv6-only peer without IPv4 when we want IPv4 only", OpenMessage.Create(65001, 90, 2, [BgpCapability.Multiprotocol(Afi.IPv6, Safi.Unicast)]), 65001, 2, 7 },
    };

    [Theory]
    [MemberData(nameof(OpenErrors))]
    public void Bad_open_is_refused_with_its_notification(string name, BgpMessage open, uint peerAs, byte code, byte subcode)
    {
        var fsm = new BgpFsm(Options(peerAs: peerAs) with { Families = [Afi.IPv4] });
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), Now);
        var step = Receive(fsm, open);
        Assert.True(step.State == BgpState.Idle, name);
        Assert.Equal(((BgpErrorCode)code, subcode), (SentNotification(step).Code, SentNotification(step).Subcode));
        Assert.Equal(TransitionReason.OpenRejected, step.Reason);
    }

    [Fact]
    public void Unexpected_messages_get_an_fsm_error_naming_the_state()
    {
        var fsm = new BgpFsm(Options());
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), Now);
        Receive(fsm, PeerOpen());
        var step = Receive(fsm, UpdateMessage.EndOfRibIPv4);
        Assert.Equal((BgpErrorCode.FiniteStateMachine, (byte)2), (SentNotification(step).Code, SentNotification(step).Subcode));
        Assert.Equal(TransitionReason.UnexpectedMessage, step.Reason);
    }

    [Fact]
    public void Stop_sends_cease_but_a_graceful_stop_sends_nothing()
    {
        var hard = Established().Handle(new BgpEvent.ManualStop(), Now);
        Assert.Equal((BgpErrorCode.Cease, (byte)2), (SentNotification(hard).Code, SentNotification(hard).Subcode));
        Assert.Contains(hard.Actions, a => a is FsmAction.SessionDown);
        var deconfigured = Established().Handle(new BgpEvent.ManualStop(CeaseSubcode: 3), Now);
        Assert.Equal((BgpErrorCode.Cease, (byte)3), (SentNotification(deconfigured).Code, SentNotification(deconfigured).Subcode));

        var fsm = Established();
        var soft = fsm.Handle(new BgpEvent.ManualStop(Graceful: true), Now);
        Assert.DoesNotContain(soft.Actions, a => a is FsmAction.Send);
        Assert.Contains(soft.Actions, a => a is FsmAction.CloseConnection);
        Assert.Null(fsm.NextDeadline); // stopped: no retry
    }

    [Fact]
    public void Peer_notification_ends_the_session_and_is_reported()
    {
        var step = Receive(Established(), new NotificationMessage(BgpError.CeasePeerDeconfigured));
        Assert.Equal((BgpState.Idle, TransitionReason.NotificationReceived), (step.State, step.Reason));
        Assert.DoesNotContain(step.Actions, a => a is FsmAction.Send);
        Assert.Equal(BgpError.CeasePeerDeconfigured.Subcode, Assert.Single(step.Actions.OfType<FsmAction.SessionDown>()).Error.Subcode);
    }

    [Fact]
    public void Route_refresh_asks_for_a_resend_of_negotiated_families_only()
    {
        var fsm = Established(Options() with { Families = [Afi.IPv4] });
        var rr = Receive(fsm, new RouteRefreshMessage(Afi.IPv4, 0, Safi.Unicast));
        Assert.Equal(new FsmAction.ResendRoutes(Afi.IPv4, Safi.Unicast), Assert.Single(rr.Actions));
        Assert.Empty(Receive(fsm, new RouteRefreshMessage(Afi.IPv6, 0, Safi.Unicast)).Actions);
    }

    [Fact]
    public void An_update_with_mp_reach_nlri_twice_resets_with_malformed_attribute_list_and_delivers_no_route()
    {
        // RFC 7606 §3 g. Both copies are well formed; which one is the real NLRI is unknowable.
        var fsm = Established();
        PathAttribute MpReach(string prefix) => new(PathAttributeFlags.Optional, (byte)PathAttributeType.MpReachNlri,
            (byte[])[0, 2, 1, 16, .. System.Net.IPAddress.Parse("2001:db8::2").GetAddressBytes(), 0, .. NlriBytes(prefix)]);
        var origin = new PathAttribute(PathAttributeFlags.Transitive, (byte)PathAttributeType.Origin, new byte[] { 0 });
        var asPath = new PathAttribute(PathAttributeFlags.Transitive, (byte)PathAttributeType.AsPath, new byte[] { 2, 1, 0, 0, 0xfd, 0xe9 });
        var step = Receive(fsm, new UpdateMessage([], [origin, asPath, MpReach("2001:db8:7::/48"), MpReach("2001:db8:8::/48")], []));

        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)1), (SentNotification(step).Code, SentNotification(step).Subcode));
        Assert.Equal((BgpState.Idle, TransitionReason.UpdateError), (step.State, step.Reason));
        Assert.Empty(step.Actions.OfType<FsmAction.RoutesReceived>());
    }

    private static byte[] NlriBytes(string prefix)
    {
        var p = NlriPrefix.Parse(prefix);
        var bytes = new byte[p.EncodedLength];
        p.Write(bytes);
        return bytes;
    }

    [Fact]
    public void An_update_that_needs_a_session_reset_gets_its_notification()
    {
        var fsm = Established();
        var bad = new UpdateMessage([], [new PathAttribute(PathAttributeFlags.Transitive, 99, new byte[] { 1 })], []);
        var step = Receive(fsm, bad);
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)2), (SentNotification(step).Code, SentNotification(step).Subcode));
        Assert.Equal(TransitionReason.UpdateError, step.Reason);
    }

    [Fact]
    public void Passive_waits_for_the_peer_and_answers_with_open()
    {
        var fsm = new BgpFsm(Options(passive: true));
        var start = fsm.Handle(new BgpEvent.ManualStart(), Now);
        Assert.Equal(BgpState.Active, start.State);
        Assert.Empty(start.Actions);
        var accepted = fsm.Handle(new BgpEvent.TcpConnectionAccepted(), Now);
        Assert.Equal(BgpState.OpenSent, accepted.State);
    }

    [Fact]
    public void Restarting_speaker_sets_the_restart_bit_and_forwarding_flags()
    {
        var fsm = new BgpFsm(Options() with { Restarting = true });
        var gr = fsm.CreateOpen().Capabilities.Single(c => c.Code == CapabilityCode.GracefulRestart);
        Assert.True(GracefulRestartCapability.TryParse(gr.Value.Span, out var parsed));
        Assert.Equal((true, (ushort)120), (parsed!.Restarting, parsed.RestartTimeSeconds));
        Assert.All(parsed.Families, f => Assert.True(f.ForwardingPreserved));
    }

    [Fact]
    public void Collision_keeps_the_connection_opened_by_the_higher_identifier()
    {
        Assert.True(CollisionResolver.KeepLocallyInitiated(0xC0000202, 0xC0000201));
        Assert.False(CollisionResolver.KeepLocallyInitiated(0xC0000201, 0xC0000202));
        var fsm = new BgpFsm(Options());
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        fsm.Handle(new BgpEvent.TcpConnectionConfirmed(), Now);
        var lost = fsm.Handle(new BgpEvent.CollisionLost(), Now);
        Assert.Equal((BgpErrorCode.Cease, (byte)7), (SentNotification(lost).Code, SentNotification(lost).Subcode));
        Assert.Null(fsm.NextDeadline);
    }

    [Fact]
    public void Jitter_shortens_intervals_to_between_75_and_100_percent()
    {
        var fsm = new BgpFsm(Options(), () => 0.0);
        fsm.Handle(new BgpEvent.ManualStart(), Now);
        var t = Now;
        fsm.Handle(new BgpEvent.TcpConnectionFailed(), Now);
        Assert.Equal(t.AddSeconds(0.75), fsm.NextDeadline);
    }
}
