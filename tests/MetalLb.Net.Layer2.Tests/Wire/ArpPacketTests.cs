using System.Buffers;
using System.Net;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Wire;

public sealed class ArpPacketTests
{
    private static readonly MacAddress Client = new(0x0200_0000_C001), Speaker = new(0x0200_0000_A001);

    [Fact]
    public void Reads_the_request_arping_sent()
    {
        Assert.Equal(OperationStatus.Done, EthernetHeader.TryRead(Golden.ArpingRequest, out var eth));
        Assert.Equal(new EthernetHeader(MacAddress.Broadcast, Client, EtherType.Arp), eth);
        Assert.Equal(OperationStatus.Done, ArpPacket.TryRead(Golden.ArpingRequest.AsSpan(14), out var arp));
        Assert.Equal(new ArpPacket(ArpOperation.Request, Client, V4("192.0.2.2"), MacAddress.Zero, V4("192.0.2.1")), arp);
    }

    [Fact]
    public void Writes_the_kernels_reply_byte_for_byte_into_a_dirty_buffer()
    {
        var buffer = Enumerable.Repeat((byte)0xFF, 64).ToArray();
        int n = new EthernetHeader(Client, Speaker, EtherType.Arp).Write(buffer);
        n += new ArpPacket(ArpOperation.Reply, Speaker, V4("192.0.2.1"), Client, V4("192.0.2.2")).Write(buffer.AsSpan(n));
        Assert.Equal(Golden.KernelArpReply, buffer[..n]);
    }

    public static TheoryData<string, byte[], OperationStatus> Bad => new()
    {
        { "empty", [], OperationStatus.NeedMoreData },
        { "7 bytes", [0, 1, 8, 0, 6, 4, 0], OperationStatus.NeedMoreData },
        { "hardware type 6 (IEEE 802)", Patch(0, 0, 6), OperationStatus.InvalidData },
        { "protocol IPv6", Patch(2, 0x86, 0xDD), OperationStatus.InvalidData },
        { "hardware length 8", Patch(4, 8), OperationStatus.InvalidData },
        { "protocol length 16", Patch(5, 16), OperationStatus.InvalidData },
        { "opcode 3 (RARP request)", Patch(6, 0, 3), OperationStatus.InvalidData },
        { "cut before target IP", Golden.KernelArpReply[14..40], OperationStatus.NeedMoreData },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Rejects(string name, byte[] packet, OperationStatus expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, ArpPacket.TryRead(packet, out var arp));
        Assert.Equal(default, arp);
    }

    private static byte[] Patch(int offset, params byte[] bytes)
    {
        var packet = Golden.KernelArpReply[14..];
        bytes.CopyTo(packet, offset);
        return packet;
    }

    private static uint V4(string ip) => AddressBits.ToUInt32(IPAddress.Parse(ip));
}
