using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Lab;

/// <summary>
/// The lab's stand-in for an application pod on one node: an HTTP server on the node's port
/// 8080 (IPv4 and IPv6) that answers every request with the node's name, so a client sees which
/// node its traffic reached. Made inside the node's namespace; served from the lab's process.
/// </summary>
public sealed class NodeBackend : IAsyncDisposable
{
    public const int Port = 8080;

    private readonly Socket _listener;
    private readonly byte[] _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public NodeBackend(NamespaceSockets ns, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _response = LabHttp.NodeAnswer(nodeName);
        _listener = ns.NewSocket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        _listener.DualMode = true;
        _listener.Bind(new IPEndPoint(IPAddress.IPv6Any, Port));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket s)
    {
        using (s)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                // Read up to the end of the request's head, whatever it asks: every answer is the node's name.
                await LabHttp.ReceiveAsync(s, new byte[4096], untilHeadEnd: true, timeout.Token);
                await s.SendAsync(_response, timeout.Token);
                s.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
