using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Bfd.Wire;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>Two state machines wired back to back on a manual clock: nothing sleeps, time moves to the next deadline.</summary>
public class BfdFsmTests
{
    private static readonly TimeSpan Ms300 = TimeSpan.FromMilliseconds(300);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>A and B joined by a link that delivers at once while <see cref="AtoB"/>/<see cref="BtoA"/> are true.</summary>
    private sealed class Pair(BfdFsm a, BfdFsm b, FakeTimeProvider clock)
    {
        public BfdFsm A { get; } = a;
        public BfdFsm B { get; } = b;
        public bool AtoB { get; set; } = true;
        public bool BtoA { get; set; } = true;
        public List<(DateTimeOffset At, char From, BfdControlPacket Packet)> Sent { get; } = [];
        public List<(DateTimeOffset At, char Who, BfdStep Step)> Changes { get; } = [];

        public void Start()
        {
            Handle('A', A.Start(clock.GetUtcNow()));
            Handle('B', B.Start(clock.GetUtcNow()));
        }

        /// <summary>Moves the clock deadline by deadline until <paramref name="until"/>.</summary>
        public void RunUntil(DateTimeOffset until)
        {
            while (true)
            {
                var next = new[] { A.NextDeadline, B.NextDeadline }.Where(d => d.HasValue).Min();
                if (next is null || next > until)
                    break;
                clock.SetUtcNow(next.Value);
                if (A.NextDeadline <= next)
                    Handle('A', A.Tick(next.Value));
                if (B.NextDeadline <= next)
                    Handle('B', B.Tick(next.Value));
            }
            clock.SetUtcNow(until);
        }

        public void RunFor(TimeSpan t) => RunUntil(clock.GetUtcNow() + t);

        public void Handle(char who, BfdStep step)
        {
            var now = clock.GetUtcNow();
            if (step.Changed)
                Changes.Add((now, who, step));
            if (step.Send is not { } p)
                return;
            Sent.Add((now, who, p));
            var (to, open) = who == 'A' ? (B, AtoB) : (A, BtoA);
            if (open)
                Handle(who == 'A' ? 'B' : 'A', to.Receive(p, now));
        }
    }

    private Pair NewPair(BfdFsmOptions? a = null, BfdFsmOptions? b = null, Func<double>? jitter = null)
    {
        var pair = new Pair(new BfdFsm(a ?? new BfdFsmOptions(), 0xA, jitter), new BfdFsm(b ?? new BfdFsmOptions(), 0xB, jitter), _clock);
        pair.Start();
        return pair;
    }

    [Fact]
    public void Three_way_handshake_brings_both_up_through_init()
    {
        var pair = NewPair();
        pair.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(BfdState.Up, pair.A.SessionState);
        Assert.Equal(BfdState.Up, pair.B.SessionState);
        Assert.Equal([BfdState.Init, BfdState.Up], pair.Changes.Where(c => c.Who == 'B').Select(c => c.Step.To));
        Assert.Equal(0xBu, pair.A.RemoteDiscr);
        Assert.Equal(0xAu, pair.B.RemoteDiscr);
    }

    [Fact]
    public void Slow_start_at_one_second_then_a_poll_sequence_to_the_configured_rate()
    {
        var pair = NewPair();
        var first = pair.Sent.First(s => s.From == 'A').Packet;
        Assert.Equal(1_000_000u, first.DesiredMinTxInterval);   // §6.8.3: not Up, at least 1 s
        Assert.Equal(300_000u, first.RequiredMinRxInterval);
        pair.RunFor(TimeSpan.FromSeconds(2));
        // Going Up is a parameter change: P until the peer's F, never both bits at once.
        Assert.Contains(pair.Sent, s => s.From == 'A' && s.Packet.Poll && s.Packet.DesiredMinTxInterval == 300_000);
        Assert.Contains(pair.Sent, s => s.From == 'B' && s.Packet.Final);
        Assert.DoesNotContain(pair.Sent, s => s.Packet.Poll && s.Packet.Final);
        Assert.False(pair.A.PollActive);
        Assert.Equal(Ms300, pair.A.TransmitInterval);
        Assert.Equal(3 * Ms300, pair.A.DetectionTime);
        // And the steady state really is one packet per 300 ms each way.
        var from = Now;
        pair.RunFor(TimeSpan.FromSeconds(3));
        Assert.Equal(10, pair.Sent.Count(s => s.From == 'A' && s.At > from));
    }

    [Fact]
    public void Silence_for_the_detection_time_brings_the_session_down_with_diag_1()
    {
        var pair = NewPair();
        pair.RunFor(TimeSpan.FromSeconds(2));
        pair.BtoA = false;
        var lastHeard = pair.Sent.Last(s => s.From == 'B').At;
        pair.RunFor(TimeSpan.FromSeconds(2));
        var down = pair.Changes.Single(c => c.Who == 'A' && c.Step.To == BfdState.Down);
        Assert.Equal(BfdDiagnostic.ControlDetectionTimeExpired, down.Step.Diagnostic);
        Assert.Equal(lastHeard + 3 * Ms300, down.At);   // remote multiplier x agreed interval, to the tick
        // A tells B (A to B still works): B goes down with diag 3 at once.
        var bDown = pair.Changes.Single(c => c.Who == 'B' && c.Step.To == BfdState.Down);
        Assert.Equal(BfdDiagnostic.NeighborSignaledSessionDown, bDown.Step.Diagnostic);
        Assert.Equal(down.At, bDown.At);
        Assert.Equal(0u, pair.A.RemoteDiscr);   // §6.8.1: forgotten after a silent Detection Time
    }

    [Fact]
    public void Detection_uses_the_remote_multiplier_and_the_slower_of_our_rx_and_its_tx()
    {
        var pair = NewPair(a: new BfdFsmOptions { RequiredMinRxInterval = TimeSpan.FromMilliseconds(100) },
                           b: new BfdFsmOptions { DesiredMinTxInterval = TimeSpan.FromMilliseconds(200), DetectMult = 5 });
        pair.RunFor(TimeSpan.FromSeconds(3));
        Assert.Equal(BfdState.Up, pair.A.SessionState);
        Assert.Equal(5 * TimeSpan.FromMilliseconds(200), pair.A.DetectionTime);
        // B sends at max(its 200 ms, A's required 100 ms); A at max(its 300 ms, B's required 300 ms).
        Assert.Equal(TimeSpan.FromMilliseconds(200), pair.B.TransmitInterval);
        Assert.Equal(Ms300, pair.A.TransmitInterval);
    }

    [Fact]
    public void A_passive_session_sends_nothing_until_the_peer_speaks()
    {
        var passive = new BfdFsm(new BfdFsmOptions { Passive = true }, 0xA);
        Assert.Null(passive.Start(Now).Send);
        Assert.Null(passive.NextDeadline);
        Assert.False(passive.CanTransmit);
        var step = passive.Receive(new BfdControlPacket { State = BfdState.Down, DetectMult = 3, MyDiscriminator = 0xB, DesiredMinTxInterval = 1_000_000, RequiredMinRxInterval = 300_000 }, Now);
        Assert.Equal(BfdState.Init, step.To);
        Assert.Equal(0xBu, step.Send!.Value.YourDiscriminator);
        Assert.NotNull(passive.NextDeadline);
    }

    [Fact]
    public void A_passive_pair_never_starts_and_a_passive_side_goes_quiet_when_the_peer_leaves()
    {
        var both = NewPair(a: new BfdFsmOptions { Passive = true }, b: new BfdFsmOptions { Passive = true });
        both.RunFor(TimeSpan.FromSeconds(10));
        Assert.Empty(both.Sent);

        var pair = NewPair(a: new BfdFsmOptions { Passive = true });
        pair.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(BfdState.Up, pair.A.SessionState);
        pair.BtoA = false;
        pair.RunFor(TimeSpan.FromSeconds(5));
        var quiet = Now;
        pair.RunFor(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(pair.Sent, s => s.From == 'A' && s.At > quiet);
    }

    [Fact]
    public void A_poll_is_answered_at_once_with_final()
    {
        var pair = NewPair();
        pair.RunFor(TimeSpan.FromSeconds(2));
        var count = pair.Sent.Count;
        var step = pair.A.Receive(new BfdControlPacket { State = BfdState.Up, Poll = true, DetectMult = 3, MyDiscriminator = 0xB, YourDiscriminator = 0xA, DesiredMinTxInterval = 300_000, RequiredMinRxInterval = 300_000 }, Now);
        Assert.True(step.Send!.Value.Final);
        Assert.False(step.Send.Value.Poll);
        Assert.Equal(count, pair.Sent.Count);   // sent by the caller, outside the periodic schedule
    }

    [Fact]
    public void A_slower_transmit_rate_waits_for_the_final()
    {
        var pair = NewPair();
        pair.RunFor(TimeSpan.FromSeconds(2));
        pair.AtoB = false;   // the poll cannot reach B yet
        var step = pair.A.SetOptions(new BfdFsmOptions { DesiredMinTxInterval = TimeSpan.FromMilliseconds(600) }, Now);
        Assert.True(step.Send!.Value.Poll);
        Assert.Equal(600_000u, step.Send.Value.DesiredMinTxInterval);
        Assert.Equal(Ms300, pair.A.TransmitInterval);   // §6.8.3: unchanged until the poll completes
        pair.AtoB = true;
        pair.RunFor(TimeSpan.FromSeconds(1));
        Assert.False(pair.A.PollActive);
        Assert.Equal(TimeSpan.FromMilliseconds(600), pair.A.TransmitInterval);
        Assert.Equal(3 * TimeSpan.FromMilliseconds(600), pair.B.DetectionTime);
        Assert.Equal(BfdState.Up, pair.B.SessionState);
    }

    [Fact]
    public void A_faster_receive_rate_keeps_the_old_detection_time_until_the_final()
    {
        var pair = NewPair(a: new BfdFsmOptions { RequiredMinRxInterval = TimeSpan.FromMilliseconds(600) });
        pair.RunFor(TimeSpan.FromSeconds(3));
        Assert.Equal(3 * TimeSpan.FromMilliseconds(600), pair.A.DetectionTime);
        pair.AtoB = false;
        pair.A.SetOptions(new BfdFsmOptions { RequiredMinRxInterval = TimeSpan.FromMilliseconds(100) }, Now);
        Assert.Equal(3 * TimeSpan.FromMilliseconds(600), pair.A.DetectionTime);
        pair.AtoB = true;
        pair.RunFor(TimeSpan.FromSeconds(2));
        Assert.Equal(3 * Ms300, pair.A.DetectionTime);   // now max(100 ms, B's 300 ms tx)
        Assert.Equal(BfdState.Up, pair.A.SessionState);
    }

    [Fact]
    public void Admin_down_is_sent_and_the_peer_goes_down_with_diag_3()
    {
        var pair = NewPair();
        pair.RunFor(TimeSpan.FromSeconds(2));
        pair.Handle('A', pair.A.AdminDown(Now));
        Assert.Equal(BfdState.AdminDown, pair.A.SessionState);
        Assert.Equal(BfdDiagnostic.AdministrativelyDown, pair.A.LocalDiag);
        Assert.Equal(BfdState.Down, pair.B.SessionState);
        Assert.Equal(BfdDiagnostic.NeighborSignaledSessionDown, pair.B.LocalDiag);
        Assert.Equal(BfdState.AdminDown, pair.B.RemoteSessionState);
        // It stays AdminDown whatever arrives, and comes back through the handshake.
        pair.RunFor(TimeSpan.FromSeconds(3));
        Assert.Equal(BfdState.AdminDown, pair.A.SessionState);
        pair.Handle('A', pair.A.AdminUp(Now));
        pair.RunFor(TimeSpan.FromSeconds(3));
        Assert.Equal(BfdState.Up, pair.A.SessionState);
        Assert.Equal(BfdState.Up, pair.B.SessionState);
    }

    [Fact]
    public void Up_goes_down_when_the_peer_says_down()
    {
        var pair = NewPair();
        pair.RunFor(TimeSpan.FromSeconds(2));
        var step = pair.A.Receive(new BfdControlPacket { State = BfdState.Down, DetectMult = 3, MyDiscriminator = 0xB, DesiredMinTxInterval = 1_000_000, RequiredMinRxInterval = 300_000 }, Now);
        Assert.Equal((BfdState.Up, BfdState.Down, BfdDiagnostic.NeighborSignaledSessionDown), (step.From, step.To, step.Diagnostic));
        Assert.Equal(1_000_000u, step.Send!.Value.DesiredMinTxInterval);   // back to the slow rate
    }

    [Theory]
    [InlineData(3, 0.75, 1.0)]
    [InlineData(1, 0.75, 0.9)]
    public void Jitter_cuts_each_interval_by_the_RFC_5880_share(byte mult, double min, double max)
    {
        var random = new Random(6870);
        var pair = NewPair(a: new BfdFsmOptions { DetectMult = mult }, jitter: random.NextDouble);
        pair.RunFor(TimeSpan.FromSeconds(3));
        var from = Now;
        pair.RunFor(TimeSpan.FromSeconds(30));
        var sends = pair.Sent.Where(s => s.From == 'A' && s.At > from && !s.Packet.Final).Select(s => s.At).ToList();
        var gaps = sends.Zip(sends.Skip(1), (x, y) => (y - x) / Ms300).ToList();
        Assert.True(gaps.Count > 90, $"{gaps.Count} gaps");
        Assert.All(gaps, g => Assert.InRange(g, min - 1e-9, max + 1e-9));
        Assert.True(gaps.Max() - gaps.Min() > (max - min) / 2, "the jitter spreads");
    }
}
