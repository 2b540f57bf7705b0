using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// The I/O edge for one link: a receive thread per lane and protocol that reads a frame, asks the
/// pure classifier, and sends the answer. Dedicated threads with blocking receives, not async I/O:
/// reply latency is the point of this component and a blocked recv() wakes fastest
/// (docs/upstream-behaviour.md#af-packet-receive: sync receive at a fraction of ReceiveAsync's latency).
/// A lane with a <see cref="IPacketConn.Cpu"/> gets only that CPU's frames, and its thread is
/// pinned there, so the wake-up is local (docs/benchmarks-layer2.md).
/// </summary>
public sealed class LinkResponder : IDisposable
{
    private readonly IReadOnlyList<IPacketConn> _arp;
    private readonly IReadOnlyList<IPacketConn> _ndp;
    private readonly Func<OwnershipTable> _owned;
    private readonly Layer2Metrics _metrics;
    private readonly List<Thread> _threads = [];
    private readonly HashSet<MacAddress> _groups = [];
    private readonly List<ReceiveLane> _lanes = [];
    private volatile bool _stopping;

    public LinkResponder(
        LinkInfo link, IReadOnlyList<IPacketConn>? arp, IReadOnlyList<IPacketConn>? ndp,
        Func<OwnershipTable> owned, Layer2Metrics metrics)
    {
        ArgumentNullException.ThrowIfNull(link);
        Link = link;
        Identity = new LinkIdentity(link.Name, link.Index, link.Mac);
        _arp = arp ?? [];
        _ndp = ndp ?? [];
        _owned = owned;
        _metrics = metrics;
    }

    public LinkInfo Link { get; }

    public LinkIdentity Identity { get; }

    public bool AnswersArp => _arp.Count > 0;

    public bool AnswersNdp => _ndp.Count > 0;

    /// <summary>Frames read per receive lane, and how many of them were read off the lane's CPU.</summary>
    public IReadOnlyList<ReceiveLane> Lanes => _lanes;

    public void Start()
    {
        foreach (var (protocol, conns) in (ReadOnlySpan<(string, IReadOnlyList<IPacketConn>)>)[("arp", _arp), ("ndp", _ndp)])
        {
            foreach (var conn in conns)
            {
                var lane = new ReceiveLane(Link.Name, protocol, conn.Cpu);
                _lanes.Add(lane);
                StartThread(lane, () => ReceiveLoop(conn, lane));
            }
        }
    }

    /// <summary>
    /// Joins the solicited-node group MAC of every IPv6 owned on this link and leaves the others.
    /// A set, not a count: several IPs sharing their low 24 bits share one group. One lane's
    /// membership is enough: it opens the NIC's filter, and the lanes share the link's frames.
    /// </summary>
    public void UpdateMemberships(OwnershipTable owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (_ndp.Count == 0)
            return;
        var wanted = owned.Ipv6On(Link.Name)
            .Select(ip => MacAddress.ForIpv6Multicast(AddressBits.SolicitedNodeMulticast(ip))).ToHashSet();
        foreach (var group in _groups.Except(wanted).ToList())
        {
            TryMembership(() => _ndp[0].LeaveMulticast(group));
            _groups.Remove(group);
        }
        foreach (var group in wanted.Except(_groups).ToList())
        {
            if (TryMembership(() => _ndp[0].JoinMulticast(group)))
                _groups.Add(group);
        }
    }

    /// <summary>One takeover round on this link: gratuitous request + reply for IPv4, unsolicited NA for IPv6.</summary>
    public void SendGratuitous(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        Span<byte> frame = stackalloc byte[NdpClassifier.AdvertisementFrameSize];
        if (ip.AddressFamily == AddressFamily.InterNetwork && _arp.Count > 0)
        {
            uint v4 = AddressBits.ToUInt32(ip);
            foreach (var op in (ReadOnlySpan<ArpOperation>)[ArpOperation.Request, ArpOperation.Reply])
            {
                if (TrySend(_arp[0], frame[..ArpClassifier.WriteGratuitous(frame, op, Link.Mac, v4)]))
                    _metrics.GratuitousPacketSent(ip);
            }
        }
        else if (ip.AddressFamily == AddressFamily.InterNetworkV6 && _ndp.Count > 0)
        {
            if (TrySend(_ndp[0], frame[..NdpClassifier.WriteUnsolicited(frame, Link.Mac, AddressBits.ToUInt128(ip))]))
                _metrics.GratuitousPacketSent(ip);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
            thread.Join();
        foreach (var conn in _arp.Concat(_ndp))
            conn.Dispose();
    }

    private void StartThread(ReceiveLane lane, ThreadStart loop)
    {
        // A small stack: the loop is flat, and there are as many threads as lanes.
        var thread = new Thread(loop, 256 * 1024)
        {
            IsBackground = true,
            Name = lane.Cpu is { } cpu ? $"l2-{lane.Protocol}-{Link.Name}-{cpu}" : $"l2-{lane.Protocol}-{Link.Name}",
        };
        _threads.Add(thread);
        thread.Start();
    }

    private void ReceiveLoop(IPacketConn conn, ReceiveLane lane)
    {
        // Not pinnable (outside our cpuset, offline): the lane still works, its wake-ups are just
        // not local; OffCpu counts them.
        if (lane.Cpu is { } cpu)
            lane.Pinned = CpuAffinity.TryPinCurrentThread(cpu);
        string protocol = lane.Protocol;
        var buffer = new byte[2048];
        var reply = new byte[Math.Max(ArpClassifier.ReplySize, NdpClassifier.AdvertisementFrameSize)];
        while (!_stopping)
        {
            int n;
            try
            {
                n = conn.Receive(buffer);
            }
            catch (SocketException)
            {
                // The link went down or away; the next rescan decides. Back off so an erroring
                // socket does not spin a core meanwhile.
                Thread.Sleep(100);
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (n > 0)
            {
                lane.Received(CpuAffinity.CurrentCpu());
                Handle(conn, protocol, buffer.AsSpan(0, n), reply);
            }
        }
    }

    private void Handle(IPacketConn conn, string protocol, ReadOnlySpan<byte> frame, Span<byte> reply)
    {
        var owned = _owned();
        FrameVerdict verdict;
        int length;
        MalformedReason malformed;
        OwnedAddress? ip = null;
        if (protocol == "arp")
        {
            verdict = ArpClassifier.Classify(frame, Identity, owned, reply, out length, out uint v4, out malformed);
            if (verdict == FrameVerdict.Answer)
                ip = owned.Find(v4);
        }
        else
        {
            verdict = NdpClassifier.Classify(frame, Identity, owned, reply, out length, out var v6, out malformed);
            if (verdict == FrameVerdict.Answer)
                ip = owned.Find(v6);
        }
        if (verdict == FrameVerdict.Malformed)
            _metrics.MalformedFrame(protocol, malformed);
        if (verdict != FrameVerdict.Answer || ip is null)
            return;
        // Answer first, count afterwards: the counters are not on the asker's clock.
        bool sent = TrySend(conn, reply[..length]);
        _metrics.RequestReceived(ip);
        if (sent)
            _metrics.ResponseSent(ip);
    }

    private static bool TrySend(IPacketConn conn, ReadOnlySpan<byte> frame)
    {
        try
        {
            conn.Send(frame);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false; // link down or being replaced; the rescan catches up
        }
    }

    private static bool TryMembership(Action change)
    {
        try
        {
            change();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
