using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// One configured session at the edge: its state machine, the UDP socket it sends from and its
/// counters. Owned by the engine's loop; only <see cref="Status"/> is read from other threads.
/// </summary>
internal sealed class BfdPeer : IDisposable
{
    /// <summary>RFC 5881 §4: the source port is from 49152-65535 and stays the same for the session.</summary>
    private const int SourcePortMin = 49152;
    private const int SourcePortMax = 65535;
    public const int SingleHopPort = 3784;
    public const int MultihopPort = 4784;

    private readonly Socket _socket;
    private readonly IPEndPoint _destination;
    private readonly byte[] _buffer = new byte[BfdControlPacket.Size];

    public BfdPeer(string key, BfdSessionOptions options, BfdFsm fsm, Func<AddressFamily, Socket> factory)
    {
        Key = key;
        Options = options;
        Fsm = fsm;
        _destination = new IPEndPoint(options.PeerAddress, options.Multihop ? MultihopPort : SingleHopPort);
        _socket = OpenSender(factory, options);
        Status = Snapshot();
    }

    public string Key { get; }
    public BfdSessionOptions Options { get; set; }
    public BfdFsm Fsm { get; }
    public long ControlPacketInput { get; set; }
    public long ControlPacketOutput { get; private set; }
    public long SendErrors { get; private set; }
    public long UpEvents { get; set; }
    public long DownEvents { get; set; }
    public DateTimeOffset? LastReceived { get; set; }
    public volatile BfdSessionStatus Status;

    public BfdSessionStatus Snapshot() => Status = new BfdSessionStatus(
        Key, Options.PeerAddress, Options.Multihop, Fsm.SessionState, Fsm.LocalDiag, Fsm.RemoteSessionState, Fsm.RemoteDiag,
        Fsm.LocalDiscr, Fsm.RemoteDiscr, Fsm.TransmitInterval, Fsm.DetectionTime,
        ControlPacketInput, ControlPacketOutput, UpEvents, DownEvents, LastReceived);

    /// <summary>Sends one control packet; a failure (no route, link down) is counted, never thrown.</summary>
    public bool Send(in BfdControlPacket packet)
    {
        packet.Encode(_buffer);
        try
        {
            _socket.SendTo(_buffer, _destination);
            ControlPacketOutput++;
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            SendErrors++;
            return false;
        }
    }

    private static Socket OpenSender(Func<AddressFamily, Socket> factory, BfdSessionOptions options)
    {
        var family = options.PeerAddress.AddressFamily;
        var socket = factory(family);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
                socket.DualMode = false;
            // RFC 5881 §5 and RFC 5883 §5: sent with TTL / hop limit 255, so a single-hop receiver
            // can tell the packet was not forwarded (GTSM).
            socket.Ttl = 255;
            var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
            try
            {
                BindSourcePort(socket, options.LocalAddress ?? any);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable && options.LocalAddress is not null)
            {
                // Not on this node (yet): let the kernel choose, as BGP's sourceAddress does.
                BindSourcePort(socket, any);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void BindSourcePort(Socket socket, IPAddress local)
    {
        // A random start so sessions spread over the range (the port SHOULD be unique per session).
        var span = SourcePortMax - SourcePortMin + 1;
        var start = Random.Shared.Next(span);
        for (var i = 0; i < span; i++)
        {
            try
            {
                socket.Bind(new IPEndPoint(local, SourcePortMin + (start + i) % span));
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // next port
            }
        }
        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }

    public void Dispose() => _socket.Dispose();
}
