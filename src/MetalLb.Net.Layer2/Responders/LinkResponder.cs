using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// The I/O edge for one link: a receive thread per protocol that reads a frame, asks the pure
/// classifier, and sends the answer. Dedicated threads with blocking receives, not async I/O:
/// reply latency is the point of this component and a blocked recv() wakes fastest
/// (reference/test-tools.md §1 measured sync receive at a fraction of ReceiveAsync's latency).
/// </summary>
public sealed class LinkResponder : IDisposable
{
    private readonly IPacketConn? _arp;
    private readonly IPacketConn? _ndp;
    private readonly Func<OwnershipTable> _owned;
    private readonly Layer2Metrics _metrics;
    private readonly List<Thread> _threads = [];
    private readonly HashSet<MacAddress> _groups = [];
    private volatile bool _stopping;

    public LinkResponder(LinkInfo link, IPacketConn? arp, IPacketConn? ndp, Func<OwnershipTable> owned, Layer2Metrics metrics)
    {
        ArgumentNullException.ThrowIfNull(link);
        Link = link;
        Identity = new LinkIdentity(link.Name, link.Index, link.Mac);
        _arp = arp;
        _ndp = ndp;
        _owned = owned;
        _metrics = metrics;
    }

    public LinkInfo Link { get; }

    public LinkIdentity Identity { get; }

    public bool AnswersArp => _arp is not null;

    public bool AnswersNdp => _ndp is not null;

    public void Start()
    {
        if (_arp is not null)
            StartThread("arp", () => ReceiveLoop(_arp, "arp"));
        if (_ndp is not null)
            StartThread("ndp", () => ReceiveLoop(_ndp, "ndp"));
    }

    /// <summary>
    /// Joins the solicited-node group MAC of every IPv6 owned on this link and leaves the others.
    /// A set, not a count: several IPs sharing their low 24 bits share one group.
    /// </summary>
    public void UpdateMemberships(OwnershipTable owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (_ndp is null)
            return;
        var wanted = owned.Ipv6On(Link.Name)
            .Select(ip => MacAddress.ForIpv6Multicast(AddressBits.SolicitedNodeMulticast(ip))).ToHashSet();
        foreach (var group in _groups.Except(wanted).ToList())
        {
            TryMembership(() => _ndp.LeaveMulticast(group));
            _groups.Remove(group);
        }
        foreach (var group in wanted.Except(_groups).ToList())
        {
            if (TryMembership(() => _ndp.JoinMulticast(group)))
                _groups.Add(group);
        }
    }

    /// <summary>One takeover round on this link: gratuitous request + reply for IPv4, unsolicited NA for IPv6.</summary>
    public void SendGratuitous(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        Span<byte> frame = stackalloc byte[NdpClassifier.AdvertisementFrameSize];
        if (ip.AddressFamily == AddressFamily.InterNetwork && _arp is not null)
        {
            uint v4 = AddressBits.ToUInt32(ip);
            foreach (var op in (ReadOnlySpan<ArpOperation>)[ArpOperation.Request, ArpOperation.Reply])
            {
                if (TrySend(_arp, frame[..ArpClassifier.WriteGratuitous(frame, op, Link.Mac, v4)]))
                    _metrics.GratuitousPacketSent(ip);
            }
        }
        else if (ip.AddressFamily == AddressFamily.InterNetworkV6 && _ndp is not null)
        {
            if (TrySend(_ndp, frame[..NdpClassifier.WriteUnsolicited(frame, Link.Mac, AddressBits.ToUInt128(ip))]))
                _metrics.GratuitousPacketSent(ip);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
            thread.Join();
        _arp?.Dispose();
        _ndp?.Dispose();
    }

    private void StartThread(string protocol, ThreadStart loop)
    {
        var thread = new Thread(loop) { IsBackground = true, Name = $"l2-{protocol}-{Link.Name}" };
        _threads.Add(thread);
        thread.Start();
    }

    private void ReceiveLoop(IPacketConn conn, string protocol)
    {
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
                Handle(conn, protocol, buffer.AsSpan(0, n), reply);
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
        _metrics.RequestReceived(ip);
        if (TrySend(conn, reply[..length]))
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
