using System.Buffers.Binary;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>An AF_PACKET SOCK_RAW socket bound to one link and one EtherType (packet(7)).</summary>
public sealed class PacketSocket : IPacketConn
{
    private const int SolPacket = 263, PacketAddMembership = 1, PacketDropMembership = 2, PacketMrMulticast = 0;
    private readonly Socket _socket;
    private readonly int _interfaceIndex;

    private PacketSocket(Socket socket, int interfaceIndex)
    {
        _socket = socket;
        _interfaceIndex = interfaceIndex;
    }

    /// <summary>ARP requests not sent by us, on one link.</summary>
    public static PacketSocket OpenArp(ISocketProvider sockets, int interfaceIndex, TimeSpan pollInterval) =>
        Open(sockets, interfaceIndex, EtherType.Arp, PacketFilters.ArpRequests, pollInterval);

    /// <summary>Neighbor Solicitations not sent by us, on one link.</summary>
    public static PacketSocket OpenNdp(ISocketProvider sockets, int interfaceIndex, TimeSpan pollInterval) =>
        Open(sockets, interfaceIndex, EtherType.IPv6, PacketFilters.NeighborSolicitations, pollInterval);

    private static PacketSocket Open(
        ISocketProvider sockets, int interfaceIndex, EtherType etherType,
        (ushort, byte, byte, uint)[] filter, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        // The protocol goes in network byte order both here and in sockaddr_ll (packet(7)).
        var protocol = (ProtocolType)(ushort)BinaryPrimitives.ReverseEndianness((ushort)etherType);
        var socket = sockets.Create(() => new Socket(AddressFamily.Packet, SocketType.Raw, protocol));
        try
        {
            // Filter before bind so no unfiltered frame is queued in between.
            PacketFilters.Attach(socket, filter);
            socket.Bind(new LinkLayerEndPoint(interfaceIndex, (ushort)etherType));
            // The receive loop wakes this often to notice it is being stopped: a blocked recv()
            // on a packet socket is not woken by close().
            socket.ReceiveTimeout = (int)pollInterval.TotalMilliseconds;
            // A burst of requests must survive a moment off-CPU; the kernel caps this at
            // net.core.rmem_max (x2) without CAP_NET_ADMIN, so it is best effort.
            socket.ReceiveBufferSize = 1 << 20;
            return new PacketSocket(socket, interfaceIndex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public int Receive(Span<byte> frame)
    {
        try
        {
            return _socket.Receive(frame);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return 0;
        }
    }

    public void Send(ReadOnlySpan<byte> frame) => _socket.Send(frame);

    public void JoinMulticast(MacAddress group) => Membership(PacketAddMembership, group);

    public void LeaveMulticast(MacAddress group) => Membership(PacketDropMembership, group);

    public void Dispose() => _socket.Dispose();

    // struct packet_mreq { i32 mr_ifindex; u16 mr_type; u16 mr_alen; u8 mr_address[8]; }
    private void Membership(int option, MacAddress group)
    {
        Span<byte> request = stackalloc byte[16];
        request.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(request, _interfaceIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], PacketMrMulticast);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], MacAddress.Size);
        group.Write(request[8..]);
        _socket.SetRawSocketOption(SolPacket, option, request);
    }
}
