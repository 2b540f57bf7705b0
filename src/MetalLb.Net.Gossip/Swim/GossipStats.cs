using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>Counters a host can export as metrics; bad input shows up here instead of as exceptions.</summary>
public sealed class GossipStats
{
    private readonly long[] _dropped = new long[Enum.GetValues<PacketError>().Length];
    private long _packetsReceived;
    private long _packetsSent;

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>Packets and streams dropped, by reason.</summary>
    public long Dropped(PacketError reason) => Interlocked.Read(ref _dropped[(int)reason]);

    public long DroppedTotal => _dropped.Sum();

    internal void Received() => Interlocked.Increment(ref _packetsReceived);

    internal void Sent() => Interlocked.Increment(ref _packetsSent);

    internal void Drop(PacketError reason) => Interlocked.Increment(ref _dropped[(int)reason]);
}
