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
    private readonly TcpForwarder _forwarder;

    public WebhookForwarder(NamespaceSockets ns, IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _forwarder = new TcpForwarder(
            new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(IPAddress.Loopback, 0),
            () => ns.NewSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), target,
            noDelay: false);
    }

    /// <summary>The port on 127.0.0.1 to give the emulator.</summary>
    public int Port => _forwarder.Port;

    public ValueTask DisposeAsync() => _forwarder.DisposeAsync();
}
