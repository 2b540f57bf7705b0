using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Gossip.Transport;

/// <summary>
/// memberlist's NetTransport: one UDP socket and one TCP listener on the same address and port
/// (7946 upstream). Streams carry one message each way, then close, as memberlist's do.
/// </summary>
public sealed class SocketTransport : IGossipTransport, IAsyncDisposable
{
    private const int MaxPacket = 65536;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly TimeSpan _tcpTimeout;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private int _disposed;
    private int _handling;   // 1 while a datagram read from the socket is being handed to the receiver

    private SocketTransport(Socket udp, TcpListener tcp, TimeSpan tcpTimeout)
    {
        _udp = udp;
        _tcp = tcp;
        _tcpTimeout = tcpTimeout;
        LocalEndPoint = (IPEndPoint)udp.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Binds UDP and TCP on <paramref name="endPoint"/>. With port 0 it picks a port free for both
    /// (tests and benchmarks run many members on one loopback address).
    /// </summary>
    public static SocketTransport Bind(IPEndPoint endPoint, TimeSpan? tcpTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new TcpListener(endPoint);
            Socket? udp = null;
            try
            {
                tcp.Start(128);
                var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
                udp = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(endPoint.Address, port));
                return new SocketTransport(udp, tcp, tcpTimeout ?? TimeSpan.FromSeconds(10));
            }
            catch (SocketException) when (endPoint.Port == 0 && attempt < 20)
            {
                // The TCP port was free but its UDP twin was not: try another.
                udp?.Dispose();
                tcp.Stop();
            }
            catch
            {
                udp?.Dispose();
                tcp.Stop();
                throw;
            }
        }
    }

    public void Start(IGossipReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        _loops.Add(Task.Run(() => ReceivePacketsAsync(receiver)));
        _loops.Add(Task.Run(() => AcceptStreamsAsync(receiver)));
    }

    public void SendPacket(IPEndPoint to, byte[] packet)
    {
        try
        {
            _udp.SendTo(packet, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // UDP is best effort; the failure detector copes with loss.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Datagrams queued in the socket (FIONREAD), or one read and not yet handed to the receiver.
    /// Not seen: a datagram the runtime has already taken from the socket for our pending receive
    /// while its continuation still waits for a thread; with one receive outstanding that is at
    /// most one datagram.
    /// </summary>
    public bool HasUnreadPackets
    {
        get
        {
            if (Volatile.Read(ref _handling) != 0)
                return true;
            try
            {
                return _udp.Available > 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    public void SendStream(IPEndPoint to, byte[] request, StreamReplyHandler onReply) =>
        _ = ExchangeAsync(to, request, onReply);

    private async Task ExchangeAsync(IPEndPoint to, byte[] request, StreamReplyHandler onReply)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_tcpTimeout);
        var status = OperationStatus.NeedMoreData;
        try
        {
            using var client = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(to, timeout.Token).ConfigureAwait(false);
            await client.SendAsync(request, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>(4096);
            while (status == OperationStatus.NeedMoreData)
            {
                var read = await client.ReceiveAsync(buffer.GetMemory(4096), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                    break;
                buffer.Advance(read);
                status = onReply(buffer.WrittenSpan, failed: false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            status = OperationStatus.NeedMoreData;
        }
        if (status == OperationStatus.NeedMoreData)
            onReply([], failed: true);
    }

    private async Task ReceivePacketsAsync(IGossipReceiver receiver)
    {
        var buffer = new byte[MaxPacket];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            // Read from the socket but not yet handled: still unread as far as the engine knows.
            Volatile.Write(ref _handling, 1);
            try
            {
                receiver.OnPacket(buffer.AsMemory(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
            }
            finally
            {
                Volatile.Write(ref _handling, 0);
            }
        }
    }

    private async Task AcceptStreamsAsync(IGossipReceiver receiver)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _tcp.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = ServeAsync(connection, receiver);
        }
    }

    private async Task ServeAsync(Socket connection, IGossipReceiver receiver)
    {
        using var _ = connection;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_tcpTimeout);
        var from = (IPEndPoint)connection.RemoteEndPoint!;
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer.GetMemory(4096), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                    return;
                buffer.Advance(read);
                if (buffer.WrittenCount > Wire.PushPullLimits.MaxStateBytes + 64)
                    return;
                var status = receiver.OnStream(buffer.WrittenSpan, from, out var reply);
                if (status == OperationStatus.NeedMoreData)
                    continue;
                if (status == OperationStatus.Done && reply is not null)
                    await connection.SendAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A peer that hangs up or stalls past the TCP timeout loses its exchange, nothing more.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _tcp.Stop();
        _udp.Dispose();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
