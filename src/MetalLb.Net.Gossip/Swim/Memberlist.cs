using System.Net;
using MetalLb.Net.Gossip.Transport;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// One gossip member: SWIM failure detection with memberlist's Lifeguard extensions, speaking
/// hashicorp/memberlist's wire protocol. No sockets and no clock of its own: packets go through
/// an <see cref="IGossipTransport"/> and time comes from a <see cref="TimeProvider"/>, so the
/// same code runs on UDP/TCP and on a simulated network with a manual clock.
/// </summary>
/// <remarks>
/// Every entry point takes one lock, updates state, and queues packets and events that are
/// sent and raised after the lock is released, so a transport or event handler that calls
/// back in cannot deadlock.
/// </remarks>
public sealed partial class Memberlist : IGossipReceiver, IDisposable
{
    /// <summary>Protocol versions we speak: memberlist's 1..5, currently 2 (its default); no delegate protocol.</summary>
    internal static readonly byte[] Versions = [1, 5, 2, 0, 0, 0];

    private readonly MemberlistOptions _options;
    private readonly IGossipTransport _transport;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NodeState> _nodes = [];
    private readonly List<NodeState> _probeOrder = [];
    private readonly Dictionary<IPEndPoint, NodeState> _byAddress = [];
    private readonly Dictionary<string, Suspicion> _suspicions = [];
    private readonly Dictionary<uint, PendingAck> _acks = [];
    /// <summary>Members reaped while dead (not left): where they were and since when, for <see cref="Reconnect"/>.</summary>
    private readonly Dictionary<string, (IPEndPoint Address, long Since)> _reaped = [];
    private readonly BroadcastQueue _broadcasts;
    private readonly Awareness _awareness;
    private readonly List<(IPEndPoint To, byte[] Packet)> _outbox = [];
    private readonly List<MemberEvent> _events = [];
    private readonly NodeState _self;
    private ITimer? _probeTimer, _gossipTimer, _pushPullTimer, _reconnectTimer;
    private uint _sequence;
    private int _probeIndex;
    private bool _leaving, _shutdown;
    private TaskCompletionSource? _leaveSent;

    public Memberlist(MemberlistOptions options, IGossipTransport transport, TimeProvider time, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(time);
        // memberlist's MetaMaxSize: meta rides in every alive message and must fit a packet.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Meta.Length, 512, nameof(options));
        _options = options;
        _transport = transport;
        _time = time;
        _random = seed is { } s ? new Random(s) : new Random();
        _broadcasts = new BroadcastQueue(options.RetransmitMult);
        _awareness = new Awareness(options.AwarenessMaxMultiplier);
        _self = new NodeState(options.Name, options.Advertise)
        {
            Incarnation = 1,
            State = MemberState.Alive,
            Meta = options.Meta,
            Vsn = Versions,
            StateChange = time.GetTimestamp(),
        };
        _nodes[_self.Name] = _self;
        _byAddress[_self.Address] = _self;
        _probeOrder.Add(_self);
    }

    /// <summary>Raised for every join, leave, failure and update, after it is applied.</summary>
    public event Action<MemberEvent>? MemberChanged;

    public string Name => _options.Name;

    /// <summary>The options this member runs with (the advertised address as bound).</summary>
    public MemberlistOptions Options => _options;

    public GossipStats Stats { get; } = new();

    /// <summary>Lifeguard's local health score (0 is healthy).</summary>
    public int HealthScore
    {
        get { lock (_gate) return _awareness.Score; }
    }

    /// <summary>Members alive or suspected, ourselves included (memberlist's Members()).</summary>
    public IReadOnlyList<Member> Members
    {
        get
        {
            lock (_gate)
                return [.. _nodes.Values.Where(n => !n.IsDeadOrLeft).Select(n => n.ToMember()).OrderBy(m => m.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>How many members are alive or suspected, ourselves included: <see cref="Members"/>.Count without building the list.</summary>
    public int MemberCount
    {
        get
        {
            lock (_gate)
            {
                var count = 0;
                foreach (var node in _nodes.Values)
                {
                    if (!node.IsDeadOrLeft)
                        count++;
                }
                return count;
            }
        }
    }

    /// <summary>How many members we hold in each state, ourselves included (for metrics).</summary>
    public IReadOnlyDictionary<MemberState, int> CountByState()
    {
        var counts = Enum.GetValues<MemberState>().ToDictionary(s => s, _ => 0);
        lock (_gate)
        {
            foreach (var node in _nodes.Values)
                counts[node.State]++;
        }
        return counts;
    }

    /// <summary>Every member we know of, dead and left ones too.</summary>
    public IReadOnlyList<Member> AllMembers
    {
        get
        {
            lock (_gate)
                return [.. _nodes.Values.Select(n => n.ToMember()).OrderBy(m => m.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>Starts receiving and the probe, gossip and push-pull loops.</summary>
    public void Start()
    {
        _transport.Start(this);
        Run(() =>
        {
            // Announce ourselves; the first gossip and join exchanges carry it.
            _broadcasts.Enqueue(_self.Name, WireMessage.Encode(SelfAlive()));
            _probeTimer = _time.CreateTimer(_ => Run(StartProbeRound), null, Jitter(_options.ProbeInterval), Timeout.InfiniteTimeSpan);
            _gossipTimer = _time.CreateTimer(_ => Run(Gossip), null, Jitter(_options.GossipInterval), _options.GossipInterval);
            SchedulePushPull();
            if (_options.ReconnectInterval > TimeSpan.Zero)
                _reconnectTimer = _time.CreateTimer(_ => Run(Reconnect), null, Jitter(_options.ReconnectInterval), _options.ReconnectInterval);
        });
    }

    /// <summary>Stops every loop and stops answering, without telling anyone (a crash, as peers see it).</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            _shutdown = true;
            _probeTimer?.Dispose();
            _gossipTimer?.Dispose();
            _pushPullTimer?.Dispose();
            _reconnectTimer?.Dispose();
            foreach (var suspicion in _suspicions.Values)
                suspicion.Timer?.Dispose();
            foreach (var pending in _acks.Values)
                pending.Timer?.Dispose();
            _suspicions.Clear();
            _acks.Clear();
            _outbox.Clear();
            _outboxStreams.Clear();
            // A leave still waiting for its broadcast never will: let LeaveAsync return now.
            _leaveSent?.TrySetResult();
        }
    }

    public void Dispose() => Shutdown();

    // A random first delay spreads members' loops apart, as memberlist's scheduler does.
    private TimeSpan Jitter(TimeSpan interval) => TimeSpan.FromTicks((long)(interval.Ticks * _random.NextDouble()) + 1);

    /// <summary>Runs <paramref name="action"/> under the lock, then sends and raises what it queued.</summary>
    private void Run(Action action)
    {
        List<(IPEndPoint, byte[])> outbox;
        List<(IPEndPoint, byte[], Transport.StreamReplyHandler)> streams;
        List<MemberEvent> events;
        lock (_gate)
        {
            if (_shutdown)
                return;
            action();
            // Most calls queue one packet and nothing else: copy only what is there.
            outbox = _outbox.Count == 0 ? NoPackets : [.. _outbox];
            streams = _outboxStreams.Count == 0 ? NoStreams : [.. _outboxStreams];
            events = _events.Count == 0 ? NoEvents : [.. _events];
            _outbox.Clear();
            _outboxStreams.Clear();
            _events.Clear();
        }
        foreach (var (to, packet) in outbox)
        {
            Stats.Sent();
            _transport.SendPacket(to, packet);
        }
        foreach (var (to, request, onReply) in streams)
            _transport.SendStream(to, request, onReply);
        foreach (var e in events)
            MemberChanged?.Invoke(e);
    }

    private static readonly List<(IPEndPoint, byte[])> NoPackets = [];
    private static readonly List<(IPEndPoint, byte[], Transport.StreamReplyHandler)> NoStreams = [];
    private static readonly List<MemberEvent> NoEvents = [];

    private uint NextSequence() => ++_sequence;

    private void Raise(MemberEventKind kind, NodeState node) => _events.Add(new MemberEvent(kind, node.ToMember()));

    /// <summary>Queues one message to a member, piggybacking pending broadcasts as memberlist does.</summary>
    private void Send(IPEndPoint to, IWireMessage message, IWireMessage? with = null)
    {
        var encoded = WireMessage.Encode(message);
        byte[][] first = with is null ? [encoded] : [encoded, WireMessage.Encode(with)];
        var available = _options.UdpBufferSize - first.Sum(p => p.Length + CompoundMessage.PerMessageOverhead) - CompoundMessage.HeaderOverhead
            - (_options.Keyring is null ? 0 : Encryption.Overhead);
        var extra = _broadcasts.Take(CompoundMessage.PerMessageOverhead, available, _nodes.Count);
        List<byte[]> parts = [.. first, .. extra];
        SendRaw(to, parts);
    }

    private void SendRaw(IPEndPoint to, IReadOnlyList<byte[]> parts)
    {
        var crc = FindByAddress(to) is { ProtocolMax: >= 5 };
        _outbox.Add((to, PacketCodec.Encode(parts, _options.EnableCompression, crc, _options.Keyring)));
    }

    // Every packet we send asks this (does the peer want a CRC?): an index, not a scan of all members.
    private NodeState? FindByAddress(IPEndPoint address) => _byAddress.GetValueOrDefault(address);

    /// <summary>
    /// Up to <paramref name="k"/> distinct other members that pass <paramref name="accept"/>, picked
    /// by random draws from the member list (at most 3n, as memberlist's kRandomNodes): a gossip
    /// round every 20 ms costs O(k) instead of shuffling every member.
    /// </summary>
    private List<NodeState> RandomMembers(int k, Func<NodeState, bool> accept)
    {
        var picked = new List<NodeState>(k);
        var n = _probeOrder.Count;
        for (var tries = 0; tries < 3 * n && picked.Count < k; tries++)
        {
            var node = _probeOrder[_random.Next(n)];
            if (node != _self && accept(node) && !picked.Contains(node))
                picked.Add(node);
        }
        return picked;
    }

    private void IndexAddress(NodeState node, IPEndPoint? previous)
    {
        if (previous is not null && _byAddress.TryGetValue(previous, out var old) && old == node)
            _byAddress.Remove(previous);
        _byAddress[node.Address] = node;
    }

    private void Forget(NodeState node)
    {
        _nodes.Remove(node.Name);
        if (_byAddress.TryGetValue(node.Address, out var indexed) && indexed == node)
            _byAddress.Remove(node.Address);
    }

    private sealed class PendingAck
    {
        /// <summary>Called with the ack's sender.</summary>
        public Action<IPEndPoint>? OnAck { get; init; }
        public Action? OnNack { get; init; }
        public ITimer? Timer { get; set; }
    }
}
