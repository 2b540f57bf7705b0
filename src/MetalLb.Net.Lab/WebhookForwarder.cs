using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Lab;

/// <summary>
/// The other direction of <see cref="ApiForwarder"/>: a listener on the lab process's 127.0.0.1
/// (a free port) whose connections are dialled inside a namespace, to the controller pod's
/// webhook port. The emulator lives in the lab process's namespace and cannot route to the
/// pod's address on the lab's bridge, so the webhook Service is pointed at this listener
/// (EmulatorOptions.WebhookServices); the bytes are the webhook's TLS end to end.
/// </summary>
public sealed class WebhookForwarder : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly NamespaceSockets _ns;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _open = [];

    public WebhookForwarder(NamespaceSockets ns, IPEndPoint target)
    {
        _ns = ns;
        _target = target;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port on 127.0.0.1 to give the emulator.</summary>
    public int Port { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket outer;
            try
            {
                outer = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = PipeAsync(outer);
        }
    }

    private async Task PipeAsync(Socket outer)
    {
        Socket inner;
        try
        {
            inner = _ns.NewSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            outer.Dispose();
            return;
        }
        lock (_open)
        {
            _open.Add(inner);
            _open.Add(outer);
        }
        try
        {
            await inner.ConnectAsync(_target, _stop.Token);
            using var a = new NetworkStream(inner, ownsSocket: false);
            using var b = new NetworkStream(outer, ownsSocket: false);
            await Task.WhenAny(CopyAsync(a, b), CopyAsync(b, a));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The controller is not listening (yet) or went away: the emulator sees a failed call.
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
