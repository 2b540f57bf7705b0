using MetalLb.Net.Layer2.Interfaces;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>Opens the per-link frame connections; AF_PACKET sockets in production, fakes in tests.</summary>
public interface IPacketConnFactory
{
    IPacketConn OpenArp(LinkInfo link);

    IPacketConn OpenNdp(LinkInfo link);
}
