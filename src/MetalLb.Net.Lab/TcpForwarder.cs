using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Lab;

/// <summary>
/// Copies TCP connections between two network namespaces: every connection accepted on one side
/// is dialled on to <c>target</c> with a socket from the other side, and the bytes are copied
/// both ways, untouched (TLS stays end to end). <see cref="ApiForwarder"/> and
/// <see cref="WebhookForwarder"/> are its two directions; they differ only in which namespace
/// listens and which dials, so those are what the caller gives.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket> _newDialSocket;
    private readonly IPEndPoint _target;
    private readonly bool _noDelay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _open = [];

    /// <param name="listener">A fresh TCP socket, made in the namespace that listens; bound here to <paramref name="listenOn"/>.</param>
    /// <param name="newDialSocket">Makes a TCP socket in the namespace that <paramref name="target"/> is reached from.</param>
    /// <param name="noDelay">Sets TCP_NODELAY on both sockets of a connection (small request/answer exchanges such as watches).</param>
    public TcpForwarder(Socket listener, IPEndPoint listenOn, Func<Socket> newDialSocket, IPEndPoint target, bool noDelay)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _listener = listener;
        _newDialSocket = newDialSocket;
        _target = target;
        _noDelay = noDelay;
        _listener.Bind(listenOn);
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The port the listener is bound to (the one asked for, or the one the kernel chose for port 0).</summary>
    public int Port { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = PipeAsync(accepted);
        }
    }

    private async Task PipeAsync(Socket accepted)
    {
        Socket dialled;
        try
        {
            dialled = _newDialSocket();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The dialling namespace's thread is gone (the lab is stopping): drop this connection.
            accepted.Dispose();
            return;
        }
        if (_noDelay)
        {
            accepted.NoDelay = true;
            dialled.NoDelay = true;
        }
        lock (_open)
        {
            _open.Add(accepted);
            _open.Add(dialled);
        }
        try
        {
            await dialled.ConnectAsync(_target, _stop.Token);
            using var a = new NetworkStream(accepted, ownsSocket: false);
            using var b = new NetworkStream(dialled, ownsSocket: false);
            // When one direction ends, the other is cut too: a half-open watch would hang a speaker.
            await Task.WhenAny(CopyAsync(a, b), CopyAsync(b, a));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The target is not listening (yet) or either end went away: the other end is closed below.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(accepted);
                _open.Remove(dialled);
            }
            accepted.Dispose();
            dialled.Dispose();
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
