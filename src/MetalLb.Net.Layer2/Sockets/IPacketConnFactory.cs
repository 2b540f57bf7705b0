using MetalLb.Net.Layer2.Interfaces;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>Opens the per-link frame connections; AF_PACKET sockets in production, fakes in tests.</summary>
public interface IPacketConnFactory
{
    IPacketConn OpenArp(LinkInfo link);

    IPacketConn OpenNdp(LinkInfo link);

    /// <summary>ARP receive lanes for one link: each frame reaches exactly one of them. One by default.</summary>
    IReadOnlyList<IPacketConn> OpenArpLanes(LinkInfo link) => [OpenArp(link)];

    /// <summary>Neighbor Solicitation receive lanes for one link: each frame reaches exactly one of them.</summary>
    IReadOnlyList<IPacketConn> OpenNdpLanes(LinkInfo link) => [OpenNdp(link)];
}
