using System.Buffers;
using System.Net;
using MetalLb.Net.Gossip.Transport;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// A simulated network on a manual clock: packets take 0.2-1 ms, are lost with probability
/// <see cref="Loss"/> (seeded), and never cross a partition or reach a stopped member. Streams
/// are reliable like TCP: each lost segment costs a 200 ms retransmission (Linux's minimum RTO),
/// and they fail across a partition.
/// </summary>
public sealed class InMemoryNetwork(ManualTimeProvider time, int seed)
{
    private readonly Dictionary<IPEndPoint, IGossipReceiver> _receivers = [];
    private readonly HashSet<IPEndPoint> _down = [];
    private readonly HashSet<IPEndPoint> _deaf = [];
    private readonly HashSet<(IPEndPoint, IPEndPoint)> _cut = [];
    private readonly Dictionary<IPEndPoint, (int MinMs, int MaxMs)> _slow = [];
    private readonly Dictionary<IPEndPoint, int> _unread = [];
    private readonly Random _random = new(seed);
    private Func<IPEndPoint, int>? _side;

    public double Loss { get; set; }

    public long Delivered { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Sees every packet sent (from, to, bytes), delivered or not.</summary>
    public Action<IPEndPoint, IPEndPoint, byte[]>? Tap { get; set; }

    public IGossipTransport Connect(IPEndPoint address) => new Endpoint(this, address);

    /// <summary>Stops delivering to and from <paramref name="address"/>, as a killed process.</summary>
    public void Stop(IPEndPoint address) => _down.Add(address);

    /// <summary>Delivers to and from <paramref name="address"/> again: a process started anew there.</summary>
    public void Restart(IPEndPoint address) => _down.Remove(address);

    /// <summary>Members on different sides (by <paramref name="side"/>) cannot reach each other.</summary>
    public void Partition(Func<IPEndPoint, int> side) => _side = side;

    public void Heal() => _side = null;

    /// <summary>Cuts the one link between <paramref name="a"/> and <paramref name="b"/>, both ways; every other path stays up.</summary>
    public void Cut(IPEndPoint a, IPEndPoint b)
    {
        _cut.Add((a, b));
        _cut.Add((b, a));
    }

    /// <summary>Nothing reaches <paramref name="address"/> any more, though it still sends: a member with a broken receive path.</summary>
    public void Deafen(IPEndPoint address) => _deaf.Add(address);

    public void Undeafen(IPEndPoint address) => _deaf.Remove(address);

    /// <summary>
    /// Packets and streams to <paramref name="address"/> wait a further <paramref name="minMs"/> to
    /// <paramref name="maxMs"/> ms before it reads them: a member whose CPU is throttled. Its
    /// endpoint reports the packets that have arrived but wait to be read (HasUnreadPackets), as a
    /// socket's receive queue would.
    /// </summary>
    public void Slow(IPEndPoint address, int minMs, int maxMs) => _slow[address] = (minMs, maxMs);

    /// <summary>Delivers raw bytes as if they came from <paramref name="from"/> (for injected garbage).</summary>
    public void Inject(IPEndPoint from, IPEndPoint to, byte[] packet) => SendPacket(from, to, packet, lossless: true);

    private bool Blocked(IPEndPoint from, IPEndPoint to) =>
        _down.Contains(from) || _down.Contains(to) || _deaf.Contains(to) || _cut.Contains((from, to)) || !_receivers.ContainsKey(to)
        || (_side is { } side && side(from) != side(to));

    private TimeSpan StreamLatency()
    {
        var latency = Latency();
        while (_random.NextDouble() < Loss)
            latency += TimeSpan.FromMilliseconds(200);
        return latency;
    }

    private TimeSpan SlowDelay(IPEndPoint to) =>
        _slow.TryGetValue(to, out var slow) ? TimeSpan.FromMilliseconds(_random.Next(slow.MinMs, slow.MaxMs + 1)) : TimeSpan.Zero;

    private TimeSpan Latency() => TimeSpan.FromMicroseconds(200 + _random.Next(800));

    private void SendPacket(IPEndPoint from, IPEndPoint to, byte[] packet, bool lossless = false)
    {
        Tap?.Invoke(from, to, packet);
        if (Blocked(from, to) || (!lossless && _random.NextDouble() < Loss))
        {
            Dropped++;
            return;
        }
        var latency = Latency();
        var slow = SlowDelay(to);
        void Deliver()
        {
            if (Blocked(from, to))
                return;
            Delivered++;
            _receivers[to].OnPacket(packet, from);
        }
        if (slow == TimeSpan.Zero)
        {
            Later(latency, Deliver);
            return;
        }
        // Arrived in the slow member's socket after the wire's latency; read only after its delay.
        Later(latency, () =>
        {
            _unread[to] = _unread.GetValueOrDefault(to) + 1;
            Later(slow, () =>
            {
                _unread[to]--;
                Deliver();
            });
        });
    }

    private void SendStream(IPEndPoint from, IPEndPoint to, byte[] request, StreamReplyHandler onReply)
    {
        if (Blocked(from, to))
        {
            // A connect into a partition times out; keep it shorter than any test's patience.
            Later(TimeSpan.FromMilliseconds(500), () => onReply([], failed: true));
            return;
        }
        Later(StreamLatency() + SlowDelay(to), () =>
        {
            if (Blocked(from, to) || _receivers[to].OnStream(request, from, out var reply) != OperationStatus.Done || reply is null)
            {
                onReply([], failed: true);
                return;
            }
            Later(StreamLatency(), () =>
            {
                if (onReply(reply, failed: false) == OperationStatus.NeedMoreData)
                    onReply([], failed: true);   // the whole reply was there: a stream that wants more has failed
            });
        });
    }

    private void Later(TimeSpan delay, Action action)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            timer!.Dispose();
            action();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    private sealed class Endpoint(InMemoryNetwork network, IPEndPoint address) : IGossipTransport
    {
        public void Start(IGossipReceiver receiver) => network._receivers[address] = receiver;

        public void SendPacket(IPEndPoint to, byte[] packet) => network.SendPacket(address, to, packet);

        public void SendStream(IPEndPoint to, byte[] request, StreamReplyHandler onReply) =>
            network.SendStream(address, to, request, onReply);

        public bool HasUnreadPackets => network._unread.GetValueOrDefault(address) > 0;
    }
}
