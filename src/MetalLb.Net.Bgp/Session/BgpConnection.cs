using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Session;

/// <summary>
/// One TCP connection: a reader task that frames and decodes messages into events for the
/// session loop, and batched writes. Events carry the connection id so the loop can drop
/// those of a connection it has already closed.
/// </summary>
internal sealed class BgpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _cts = new();
    private byte[] _sendBuffer = new byte[64 * 1024];

    public BgpConnection(Socket socket, int id, Action<int, BgpEvent> post)
    {
        _socket = socket;
        Id = id;
        _ = Task.Run(() => ReadLoopAsync(post));
    }

    public int Id { get; }
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;
    public long BytesSent { get; private set; }

    private async Task ReadLoopAsync(Action<int, BgpEvent> post)
    {
        var buffer = new byte[BgpHeader.MaxMessageLength * 16];
        var filled = 0;
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _cts.Token).ConfigureAwait(false);
                if (n == 0)
                    break;
                filled += n;
                var start = 0;
                while (true)
                {
                    var status = BgpMessageReader.TryRead(buffer.AsSpan(start, filled - start), out var message, out var used, out var error);
                    if (status == OperationStatus.NeedMoreData)
                        break;
                    if (status == OperationStatus.InvalidData)
                    {
                        post(Id, new BgpEvent.DecodeFailed(error));
                        return;
                    }
                    post(Id, new BgpEvent.MessageReceived(message!));
                    start += used;
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; the loop learns it below.
        }
        if (!_cts.IsCancellationRequested)
            post(Id, new BgpEvent.TcpConnectionClosed());
    }

    /// <summary>Encodes every message back to back and writes them in large chunks. False if the write failed.</summary>
    public async Task<bool> SendAsync(IReadOnlyList<BgpMessage> messages)
    {
        var total = messages.Sum(m => m.GetEncodedLength());
        if (_sendBuffer.Length < total)
            _sendBuffer = new byte[Math.Max(total, _sendBuffer.Length * 2)];
        var at = 0;
        foreach (var m in messages)
            at += m.Encode(_sendBuffer.AsSpan(at));
        try
        {
            var sent = 0;
            while (sent < at)
                sent += await _socket.SendAsync(_sendBuffer.AsMemory(sent, at - sent), SocketFlags.None, _cts.Token).ConfigureAwait(false);
            BytesSent += at;
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Streams <paramref name="updates"/> through the send buffer, one buffer-full per write, so
    /// a large change never needs a buffer (or message objects) the size of the whole change.
    /// False if the write failed.
    /// </summary>
    public async Task<bool> SendAsync(Rib.UpdateStream updates)
    {
        try
        {
            while (!updates.IsDone)
            {
                var length = updates.Write(_sendBuffer);
                var sent = 0;
                while (sent < length)
                    sent += await _socket.SendAsync(_sendBuffer.AsMemory(sent, length - sent), SocketFlags.None, _cts.Token).ConfigureAwait(false);
                BytesSent += length;
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // already reset by the peer
        }
        _socket.Dispose();
        _cts.Dispose();
    }
}
