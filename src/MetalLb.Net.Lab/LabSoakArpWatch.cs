using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Lab;

/// <summary>
/// Asks "who has IP?" from the client namespace by broadcast every <c>interval</c> on a packet
/// socket, and keeps every reply with the MAC it came from: as the client sees the LAN, so two
/// nodes answering for one IP show up as two MACs answering one request. Used by `lab soak`
/// (ownership changes) and `lab partition` (two owners).
/// </summary>
public sealed class LabSoakArpWatch : IDisposable
{
    private const ushort ArpType = 0x0806;
    private readonly Socket _socket;
    private readonly byte[] _request = new byte[42];
    private readonly uint _target;
    private readonly MacAddress _clientMac;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock;
    private readonly List<double> _sends = [];
    private readonly List<(double Ms, MacAddress Mac)> _replies = [];
    private readonly Thread _sender, _receiver;
    private volatile bool _stop;

    /// <param name="clock">The caller's clock, so sends and replies are on its time line.</param>
    public LabSoakArpWatch(NamespaceSockets client, string ip, TimeSpan interval, Stopwatch clock)
    {
        ArgumentNullException.ThrowIfNull(client);
        _interval = interval;
        _clock = clock;
        _target = AddressBits.ToUInt32(IPAddress.Parse(ip));
        using var link = JsonDocument.Parse(LabShell.Check("ip", "-n", client.Namespace, "-j", "link", "show", LabHost.Link));
        int index = link.RootElement[0].GetProperty("ifindex").GetInt32();
        if (!MacAddress.TryParse(link.RootElement[0].GetProperty("address").GetString(), out _clientMac))
            throw new InvalidOperationException($"{client.Namespace}'s {LabHost.Link} has no MAC address");
        using var addr = JsonDocument.Parse(LabShell.Check("ip", "-n", client.Namespace, "-4", "-j", "addr", "show", LabHost.Link));
        var own = IPAddress.Parse(addr.RootElement[0].GetProperty("addr_info")[0].GetProperty("local").GetString()!);

        _socket = client.NewSocket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)BinaryPrimitives.ReverseEndianness(ArpType));
        _socket.Bind(new LinkLayerEndPoint(index, ArpType));
        _socket.ReceiveTimeout = 100;   // so the receiver notices Dispose
        _socket.ReceiveBufferSize = 1 << 20;
        int len = new EthernetHeader(MacAddress.Broadcast, _clientMac, EtherType.Arp).Write(_request);
        new ArpPacket(ArpOperation.Request, _clientMac, AddressBits.ToUInt32(own), MacAddress.Zero, _target).Write(_request.AsSpan(len));
        _receiver = new Thread(Receive) { IsBackground = true, Name = "arp watch rx" };
        _sender = new Thread(Send) { IsBackground = true, Name = "arp watch tx" };
        _receiver.Start();
        _sender.Start();
    }

    /// <summary>The probes so far: each request's send time and the distinct MACs that answered before the next request.</summary>
    public IReadOnlyList<ArpProbe> Probes()
    {
        double[] sends;
        (double Ms, MacAddress Mac)[] replies;
        lock (_sends)
        {
            sends = [.. _sends];
            replies = [.. _replies];
        }
        return Attribute(sends, replies);
    }

    /// <summary>Each reply belongs to the last request sent before it arrived (ARP has no sequence number).</summary>
    public static IReadOnlyList<ArpProbe> Attribute(IReadOnlyList<double> sends, IReadOnlyList<(double Ms, MacAddress Mac)> replies)
    {
        ArgumentNullException.ThrowIfNull(sends);
        ArgumentNullException.ThrowIfNull(replies);
        var macs = sends.Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToList();
        foreach (var (ms, mac) in replies)
        {
            int k = LastAtOrBefore(sends, ms);
            if (k >= 0)
                macs[k].Add(mac.ToString());
        }
        return [.. sends.Select((s, k) => new ArpProbe(s, [.. macs[k]]))];
    }

    private static int LastAtOrBefore(IReadOnlyList<double> sends, double ms)
    {
        int lo = 0, hi = sends.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (sends[mid] <= ms)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void Send()
    {
        double next = _clock.Elapsed.TotalMilliseconds;
        while (!_stop)
        {
            lock (_sends)
                _sends.Add(_clock.Elapsed.TotalMilliseconds);
            try
            {
                _socket.Send(_request);
            }
            catch (SocketException)
            {
                // a send refused under pressure is a probe without answers
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            next += _interval.TotalMilliseconds;
            double wait = next - _clock.Elapsed.TotalMilliseconds;
            if (wait > 0)
                Thread.Sleep(TimeSpan.FromMilliseconds(wait));   // pacing the probes, not waiting for a condition
            else
                next = _clock.Elapsed.TotalMilliseconds;         // fell behind (CPU starved): no burst to catch up
        }
    }

    private void Receive()
    {
        var buffer = new byte[128];
        while (!_stop)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                continue;   // the 100 ms receive timeout
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            double at = _clock.Elapsed.TotalMilliseconds;
            if (n < 42 || ArpPacket.TryRead(buffer.AsSpan(14, n - 14), out var p) != OperationStatus.Done)
                continue;
            if (p.Operation == ArpOperation.Reply && p.SenderProtocolAddress == _target && p.TargetHardwareAddress == _clientMac)
            {
                lock (_sends)
                    _replies.Add((at, p.SenderHardwareAddress));
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _sender.Join(TimeSpan.FromSeconds(2));
        _receiver.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}

/// <summary>One ARP request from the client: when it was sent and the MACs that answered it.</summary>
public sealed record ArpProbe(double SentMs, IReadOnlyList<string> Macs);
