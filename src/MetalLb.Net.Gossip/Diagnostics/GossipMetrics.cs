using System.Diagnostics.Metrics;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Diagnostics;

/// <summary>
/// The gossip members' counters as System.Diagnostics.Metrics instruments, observed at collection
/// time from <see cref="Memberlist.Stats"/> (nothing is added to the hot path). Upstream MetalLB
/// exports no memberlist metrics, so the names are ours, under <c>metallb_gossip_</c>; every
/// series carries the member's name as <c>member</c>. docs/gossip.md lists them.
/// </summary>
public sealed class GossipMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Gossip";
    private static readonly PacketError[] Reasons = [.. Enum.GetValues<PacketError>().Where(r => r != PacketError.None)];
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public GossipMetrics(Func<IEnumerable<Memberlist>> members, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("metallb_gossip_members",
            () => members().SelectMany(m => m.CountByState().Select(c =>
                new Measurement<int>(c.Value, Member(m), new("state", c.Key.ToString().ToLowerInvariant())))),
            description: "Members this member knows of, by state (alive, suspect, dead, left), itself included");
        _meter.CreateObservableGauge("metallb_gossip_health_score",
            () => members().Select(m => new Measurement<int>(m.HealthScore, Member(m))),
            description: "Lifeguard local health score: 0 is healthy; timeouts are stretched by score + 1");
        Counter("metallb_gossip_probes_total", members, s => s.Probes, "Probe rounds started");
        Counter("metallb_gossip_probe_timeouts_total", members, s => s.ProbeTimeouts, "Probes whose direct ack did not arrive within the probe timeout");
        Counter("metallb_gossip_probes_failed_total", members, s => s.ProbesFailed, "Probe rounds that ended without any ack (each starts a suspicion)");
        Counter("metallb_gossip_probes_inconclusive_total", members, s => s.ProbesInconclusive,
            "Failed probe rounds not held against the target because this member's own timers ran late");
        Counter("metallb_gossip_suspicions_total", members, s => s.Suspicions, "Members moved from alive to suspect in this member's view");
        Counter("metallb_gossip_refutations_total", members, s => s.Refutations, "Accusations against this member that it refuted");
        Counter("metallb_gossip_suspicions_deferred_total", members, s => s.SuspicionsDeferred,
            "Suspicions whose verdict waited for packets unread in this member's socket (its CPU was behind)");
        Counter("metallb_gossip_deaths_declared_total", members, s => s.DeathsDeclared, "Suspicions of this member's that ran out (member declared dead)");
        Counter("metallb_gossip_packets_sent_total", members, s => s.PacketsSent, "UDP packets sent");
        Counter("metallb_gossip_packets_received_total", members, s => s.PacketsReceived, "UDP packets received");
        _meter.CreateObservableCounter("metallb_gossip_packets_dropped_total",
            () => members().SelectMany(m => Reasons.Select(r =>
                new Measurement<long>(m.Stats.Dropped(r), Member(m), new("reason", r.ToString())))),
            description: "Packets and streams dropped as undecodable or unauthenticated, by reason");
    }

    private void Counter(string name, Func<IEnumerable<Memberlist>> members, Func<GossipStats, long> read, string description) =>
        _meter.CreateObservableCounter(name,
            () => members().Select(m => new Measurement<long>(read(m.Stats), Member(m))), description: description);

    private static KeyValuePair<string, object?> Member(Memberlist m) => new("member", m.Name);

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }
}
