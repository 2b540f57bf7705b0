using MetalLb.Net.Layer2.Interfaces;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// AF_PACKET sockets created through an <see cref="ISocketProvider"/>: one per link and protocol,
/// or, on a node with 2 to <paramref name="perCpuMaxCpus"/> CPUs, one per CPU in a
/// PACKET_FANOUT_CPU group (<see cref="Layer2Options.PerCpuReceiveMaxCpus"/>).
/// </summary>
public sealed class PacketSocketFactory(ISocketProvider sockets, TimeSpan pollInterval, int perCpuMaxCpus = 0) : IPacketConnFactory
{
    private readonly int _lanes = CpuAffinity.CpuSlots() is var cpus && cpus > 1 && cpus <= perCpuMaxCpus ? cpus : 1;

    public IPacketConn OpenArp(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return PacketSocket.OpenArp(sockets, link.Index, pollInterval);
    }

    public IPacketConn OpenNdp(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return PacketSocket.OpenNdp(sockets, link.Index, pollInterval);
    }

    public IReadOnlyList<IPacketConn> OpenArpLanes(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _lanes > 1 ? PacketSocket.OpenArpPerCpu(sockets, link.Index, pollInterval, _lanes) : [OpenArp(link)];
    }

    public IReadOnlyList<IPacketConn> OpenNdpLanes(LinkInfo link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _lanes > 1 ? PacketSocket.OpenNdpPerCpu(sockets, link.Index, pollInterval, _lanes) : [OpenNdp(link)];
    }
}
