using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MetalLb.Net.Layer2.Sockets;

/*  packet(7):
    struct sockaddr_ll { u16 sll_family; u16 sll_protocol (network order); i32 sll_ifindex;
                         u16 sll_hatype; u8 sll_pkttype; u8 sll_halen; u8 sll_addr[8]; }  20 bytes */

/// <summary>A sockaddr_ll for binding an AF_PACKET socket to one link and one EtherType.</summary>
public sealed class LinkLayerEndPoint(int interfaceIndex, ushort protocol) : EndPoint
{
    public int InterfaceIndex { get; } = interfaceIndex;

    public ushort Protocol { get; } = protocol;

    public override AddressFamily AddressFamily => AddressFamily.Packet;

    public override SocketAddress Serialize()
    {
        var address = new SocketAddress(AddressFamily.Packet, 20);
        Span<byte> buffer = address.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], Protocol);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], InterfaceIndex);
        return address;
    }

    public override EndPoint Create(SocketAddress socketAddress) => this;
}
