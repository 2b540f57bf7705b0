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
    private readonly TcpForwarder _forwarder;

    public ApiForwarder(NamespaceSockets ns, int port)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var emulator = new IPEndPoint(IPAddress.Loopback, port);
        _forwarder = new TcpForwarder(
            ns.NewSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), emulator,
            // Dialled from a pool thread: in the test process's own namespace, where the emulator is.
            () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), emulator,
            noDelay: true);
    }

    public ValueTask DisposeAsync() => _forwarder.DisposeAsync();
}
