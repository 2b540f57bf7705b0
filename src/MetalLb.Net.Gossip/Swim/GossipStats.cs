using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Counters a host can export as metrics (<see cref="GossipMetrics"/> does); bad input shows up
/// here instead of as exceptions, and the failure detector's own health (late acks, suspicions,
/// refutations) shows whether its timers suit the cluster and the host's CPU.
/// </summary>
public sealed class GossipStats
{
    private readonly long[] _dropped = new long[Enum.GetValues<PacketError>().Length];
    private long _packetsReceived;
    private long _packetsSent;
    private long _probes;
    private long _probeTimeouts;
    private long _probesRecovered;
    private long _probesFailed;
    private long _suspicions;
    private long _refutations;
    private long _deathsDeclared;
    private long _probesInconclusive;
    private long _suspicionsDeferred;

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>Probe rounds started (one member pinged per probe interval).</summary>
    public long Probes => Interlocked.Read(ref _probes);

    /// <summary>Probes whose direct ack did not arrive within the probe timeout (late or lost).</summary>
    public long ProbeTimeouts => Interlocked.Read(ref _probeTimeouts);

    /// <summary>Timed-out probes that still got an ack before the round ended (late direct, indirect or TCP).</summary>
    public long ProbesRecovered => Interlocked.Read(ref _probesRecovered);

    /// <summary>Probe rounds that ended with no ack at all: each makes us suspect the target.</summary>
    public long ProbesFailed => Interlocked.Read(ref _probesFailed);

    /// <summary>
    /// Failed probe rounds we did not hold against the target because our own timers ran late
    /// (a starved process cannot tell a silent member from an ack it had no CPU to read).
    /// </summary>
    public long ProbesInconclusive => Interlocked.Read(ref _probesInconclusive);

    /// <summary>Members we moved from alive to suspect, on our own probe or on gossip.</summary>
    public long Suspicions => Interlocked.Read(ref _suspicions);

    /// <summary>Times we were accused (suspect or dead) and refuted with a higher incarnation.</summary>
    public long Refutations => Interlocked.Read(ref _refutations);

    /// <summary>
    /// Suspicions whose verdict we put off because packets waited unread in our socket (a
    /// starved process); the ones that end in a refutation read in time saved a false death.
    /// </summary>
    public long SuspicionsDeferred => Interlocked.Read(ref _suspicionsDeferred);

    /// <summary>Suspicions of ours that ran out, so we declared the member dead.</summary>
    public long DeathsDeclared => Interlocked.Read(ref _deathsDeclared);

    /// <summary>Packets and streams dropped, by reason.</summary>
    public long Dropped(PacketError reason) => Interlocked.Read(ref _dropped[(int)reason]);

    public long DroppedTotal => _dropped.Sum();

    internal void Received() => Interlocked.Increment(ref _packetsReceived);

    internal void Sent() => Interlocked.Increment(ref _packetsSent);

    internal void Drop(PacketError reason) => Interlocked.Increment(ref _dropped[(int)reason]);

    internal void Probe() => Interlocked.Increment(ref _probes);

    internal void ProbeTimedOut() => Interlocked.Increment(ref _probeTimeouts);

    internal void ProbeRecovered() => Interlocked.Increment(ref _probesRecovered);

    internal void ProbeFailed() => Interlocked.Increment(ref _probesFailed);

    internal void ProbeInconclusive() => Interlocked.Increment(ref _probesInconclusive);

    internal void Suspected() => Interlocked.Increment(ref _suspicions);

    internal void Refuted() => Interlocked.Increment(ref _refutations);

    internal void SuspicionDeferred() => Interlocked.Increment(ref _suspicionsDeferred);

    internal void DeclaredDead() => Interlocked.Increment(ref _deathsDeclared);
}
