using System.Buffers.Binary;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>An AF_PACKET SOCK_RAW socket bound to one link and one EtherType (packet(7)).</summary>
public sealed class PacketSocket : IPacketConn
{
    private const int SolPacket = 263, PacketAddMembership = 1, PacketDropMembership = 2, PacketMrMulticast = 0;
    private const int PacketFanout = 18, FanoutCpu = 2, FanoutFlagUniqueId = 0x2000;
    private static readonly (ushort, byte, byte, uint)[] DropAll = [(0x06, 0, 0, 0)]; // ret 0
    private readonly Socket _socket;
    private readonly int _interfaceIndex;

    private PacketSocket(Socket socket, int interfaceIndex, int? cpu = null)
    {
        _socket = socket;
        _interfaceIndex = interfaceIndex;
        Cpu = cpu;
    }

    public int? Cpu { get; }

    /// <summary>ARP requests not sent by us, on one link.</summary>
    public static PacketSocket OpenArp(ISocketProvider sockets, int interfaceIndex, TimeSpan pollInterval) =>
        Open(sockets, interfaceIndex, EtherType.Arp, PacketFilters.ArpRequests, pollInterval);

    /// <summary>Neighbor Solicitations not sent by us, on one link.</summary>
    public static PacketSocket OpenNdp(ISocketProvider sockets, int interfaceIndex, TimeSpan pollInterval) =>
        Open(sockets, interfaceIndex, EtherType.IPv6, PacketFilters.NeighborSolicitations, pollInterval);

    /// <summary>
    /// ARP requests on one link, spread over one socket per CPU slot by a PACKET_FANOUT_CPU group:
    /// socket i gets the frames that CPU i's softirq received.
    /// </summary>
    public static IReadOnlyList<PacketSocket> OpenArpPerCpu(ISocketProvider sockets, int interfaceIndex, TimeSpan pollInterval, int cpus) =>
        OpenPerCpu(sockets, interfaceIndex, EtherType.Arp, PacketFilters.ArpRequests, pollInterval, cpus);

    /// <summary>Neighbor Solicitations on one link, one socket per CPU slot (see <see cref="OpenArpPerCpu"/>).</summary>
    public static IReadOnlyList<PacketSocket> OpenNdpPerCpu(ISocketProvider sockets, int interfaceIndex, TimeSpan pollInterval, int cpus) =>
        OpenPerCpu(sockets, interfaceIndex, EtherType.IPv6, PacketFilters.NeighborSolicitations, pollInterval, cpus);

    private static List<PacketSocket> OpenPerCpu(
        ISocketProvider sockets, int interfaceIndex, EtherType etherType,
        (ushort, byte, byte, uint)[] filter, TimeSpan pollInterval, int cpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cpus, 1);
        var lanes = new List<PacketSocket>(cpus);
        try
        {
            int group = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                // Members are appended in join order and the kernel picks member
                // (cpu % count), so joining in CPU order makes member i CPU i's. A socket may only
                // join once bound, and a bound socket outside the group would get its own copy of
                // every frame: it drops everything until it has joined, then takes the real filter.
                var lane = Open(sockets, interfaceIndex, etherType, DropAll, pollInterval, cpu);
                lanes.Add(lane);
                group = lane.JoinFanout(group, first: cpu == 0);
                PacketFilters.Attach(lane._socket, filter);
            }
            return lanes;
        }
        catch
        {
            foreach (var lane in lanes)
                lane.Dispose();
            throw;
        }
    }

    private static PacketSocket Open(
        ISocketProvider sockets, int interfaceIndex, EtherType etherType,
        (ushort, byte, byte, uint)[] filter, TimeSpan pollInterval, int? cpu = null)
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
            return new PacketSocket(socket, interfaceIndex, cpu);
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

    /// <summary>
    /// Joins a PACKET_FANOUT_CPU group (packet(7)). The first member asks the kernel for a group id
    /// unused in this namespace (PACKET_FANOUT_FLAG_UNIQUEID, Linux 4.1), so two responders or
    /// another program can never share a group by accident; the others join that id.
    /// </summary>
    private int JoinFanout(int group, bool first)
    {
        Span<byte> arg = stackalloc byte[4];
        int type = first ? FanoutCpu | FanoutFlagUniqueId : FanoutCpu;
        BinaryPrimitives.WriteInt32LittleEndian(arg, (first ? 0 : group) | (type << 16));
        _socket.SetRawSocketOption(SolPacket, PacketFanout, arg);
        if (!first)
            return group;
        // Reads back id | type << 16 | flags << 24; the id is the low 16 bits.
        _socket.GetRawSocketOption(SolPacket, PacketFanout, arg);
        return BinaryPrimitives.ReadInt32LittleEndian(arg) & 0xFFFF;
    }

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
