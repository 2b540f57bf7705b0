using System.Net;
using System.Net.Sockets;
using System.Text;

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
        string body = nodeName + "\n";
        _response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
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
                // Read up to the end of the request's head; the body of a GET is empty.
                var buffer = new byte[4096];
                int read = 0;
                while (read < buffer.Length)
                {
                    int n = await s.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
                    if (n == 0)
                        break;
                    read += n;
                    if (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0)
                        break;
                }
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
