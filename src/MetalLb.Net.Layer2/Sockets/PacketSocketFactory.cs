using MetalLb.Net.Layer2.Interfaces;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>AF_PACKET sockets created through an <see cref="ISocketProvider"/>.</summary>
public sealed class PacketSocketFactory(ISocketProvider sockets, TimeSpan pollInterval) : IPacketConnFactory
{
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
}
