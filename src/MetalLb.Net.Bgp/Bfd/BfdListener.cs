using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// One UDP listener (3784 or 4784, one address family) on its own thread. It reads with
/// recvmsg(2) because the TTL / hop limit of each packet (IP_RECVTTL, IPV6_RECVHOPLIMIT) is
/// what GTSM checks (RFC 5881 §5), and System.Net.Sockets does not hand that ancillary data out.
/// </summary>
internal sealed partial class BfdListener : IDisposable
{
    private const int BufferSize = 2048;
    private readonly Socket _socket;
    private readonly bool _multihop;
    private readonly Action<BfdDatagram> _onPacket;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private BfdListener(Socket socket, bool multihop, Action<BfdDatagram> onPacket)
    {
        _socket = socket;
        _multihop = multihop;
        _onPacket = onPacket;
        _thread = new Thread(Run) { IsBackground = true, Name = $"bfd-rx {socket.LocalEndPoint}" };
        _thread.Start();
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/>; null when the family is not available (no IPv6 on the host).</summary>
    public static BfdListener? Open(Func<AddressFamily, Socket> factory, IPAddress address, int port, bool multihop, Action<BfdDatagram> onPacket)
    {
        var socket = factory(address.AddressFamily);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
                socket.SetRawSocketOption(Native.IPPROTO_IPV6, Native.IPV6_RECVHOPLIMIT, BitConverter.GetBytes(1));
                socket.SetRawSocketOption(Native.IPPROTO_IPV6, Native.IPV6_RECVPKTINFO, BitConverter.GetBytes(1));
            }
            else
            {
                socket.SetRawSocketOption(Native.IPPROTO_IP, Native.IP_RECVTTL, BitConverter.GetBytes(1));
                socket.SetRawSocketOption(Native.IPPROTO_IP, Native.IP_PKTINFO, BitConverter.GetBytes(1));
            }
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException) when (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new BfdListener(socket, multihop, onPacket);
    }

    private void Run()
    {
        using var buffers = new Native.MessageBuffers(BufferSize);
        var fd = (int)_socket.Handle;
        while (!_stopping)
        {
            try
            {
                // A bounded wait, so Dispose is seen within 200 ms without closing the fd under recvmsg.
                if (!_socket.Poll(200_000, SelectMode.SelectRead))
                    continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_stopping)
                return;
            var datagram = buffers.Receive(fd, _multihop);
            if (datagram is not null)
                _onPacket(datagram);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
