using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Lab;

/// <summary>
/// Makes the emulator (which listens on the test process's 127.0.0.1) reachable at the same
/// address and port from inside a node namespace: a listener on the node's loopback, each
/// connection piped to the emulator. So the speakers use the lab's kubeconfig unchanged (the
/// emulator's certificate names 127.0.0.1), and no address is added to the host namespace,
/// which keeps two labs from colliding. The bytes are TLS end to end; we only copy them.
/// </summary>
public sealed class ApiForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _open = [];

    public ApiForwarder(NamespaceSockets ns, int port)
    {
        _target = new IPEndPoint(IPAddress.Loopback, port);
        _listener = ns.NewSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inner;
            try
            {
                inner = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = PipeAsync(inner);
        }
    }

    private async Task PipeAsync(Socket inner)
    {
        // Dialled from a pool thread: in the test process's own namespace, where the emulator is.
        var outer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        inner.NoDelay = true;
        lock (_open)
        {
            _open.Add(inner);
            _open.Add(outer);
        }
        try
        {
            await outer.ConnectAsync(_target, _stop.Token);
            using var a = new NetworkStream(inner, ownsSocket: false);
            using var b = new NetworkStream(outer, ownsSocket: false);
            // When one direction ends, the other is cut too: a half-open watch would hang the speaker.
            await Task.WhenAny(CopyAsync(a, b), CopyAsync(b, a));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The speaker or the emulator went away; the other side is closed below.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inner);
                _open.Remove(outer);
            }
            inner.Dispose();
            outer.Dispose();
        }
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Either end closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        lock (_open)
        {
            foreach (var s in _open)
                s.Dispose();
        }
        _stop.Dispose();
    }
}
