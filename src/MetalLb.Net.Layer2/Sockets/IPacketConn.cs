using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Sockets;

/// <summary>
/// Whole Ethernet frames in and out of one link, for one EtherType. The AF_PACKET socket in
/// production, an in-memory fake in tests (mdlayher's injected PacketConn).
/// </summary>
public interface IPacketConn : IDisposable
{
    /// <summary>
    /// The CPU whose received frames this connection gets (one lane of a PACKET_FANOUT_CPU group),
    /// so its reader can run there; null when it gets every frame of the link.
    /// </summary>
    int? Cpu => null;

    /// <summary>Blocks until a frame arrives or the poll interval passes; returns its length, or 0 on timeout.</summary>
    int Receive(Span<byte> frame);

    void Send(ReadOnlySpan<byte> frame);

    /// <summary>Accept frames sent to this multicast MAC (NIC filter), e.g. a solicited-node group's 33:33:ff:xx:xx:xx.</summary>
    void JoinMulticast(MacAddress group);

    void LeaveMulticast(MacAddress group);
}
