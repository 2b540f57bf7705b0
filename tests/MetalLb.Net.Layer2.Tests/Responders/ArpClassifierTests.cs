using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Tests.Wire;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Responders;

public sealed class ArpClassifierTests
{
    [Fact]
    public void Answers_arpings_request_exactly_as_the_kernel_does_for_its_own_address()
    {
        var reply = new byte[64];
        var verdict = ArpClassifier.Classify(Golden.ArpingRequest, Owned.S0, Owned.Table("192.0.2.1"),
            reply, out int n, out _, out _);
        Assert.Equal(FrameVerdict.Answer, verdict);
        Assert.Equal(Golden.KernelArpReply, reply[..n]);
    }

    public static TheoryData<string, byte[], OwnershipTable, FrameVerdict> Cases => new()
    {
        { "IP owned by nobody", Golden.ArpingRequest, Owned.Table("192.0.2.9"), FrameVerdict.NotOwned },
        { "owned, but only on another link", Golden.ArpingRequest, Owned.OnlyOn("s1", "192.0.2.1"), FrameVerdict.NotOwned },
        { "owned on this link", Golden.ArpingRequest, Owned.OnlyOn("s0", "192.0.2.1"), FrameVerdict.Answer },
        { "a reply, not a question", Golden.KernelArpReply, Owned.Table("192.0.2.1", "192.0.2.2"), FrameVerdict.Ignored },
        { "our own frame looped back", Patch(Golden.ArpingRequest, 6, 0x02, 0, 0, 0, 0xA0, 0x01), Owned.Table("192.0.2.1"), FrameVerdict.Ignored },
        { "unicast to another host's MAC", Patch(Golden.ArpingRequest, 0, 0x02, 0, 0, 0, 0xEE, 0x01), Owned.Table("192.0.2.1"), FrameVerdict.Ignored },
        { "unicast to our MAC", Patch(Golden.ArpingRequest, 0, 0x02, 0, 0, 0, 0xA0, 0x01), Owned.Table("192.0.2.1"), FrameVerdict.Answer },
        { "someone else announcing the IP (RFC 5227)", Patch(Golden.ArpingRequest, 28, 192, 0, 2, 1), Owned.Table("192.0.2.1"), FrameVerdict.Ignored },
        { "RFC 5227 probe from 0.0.0.0", Patch(Golden.ArpingRequest, 28, 0, 0, 0, 0), Owned.Table("192.0.2.1"), FrameVerdict.Answer },
        { "IPv6 frame on the ARP socket", Golden.Ndisc6Solicitation, Owned.Table("192.0.2.1"), FrameVerdict.Ignored },
        { "truncated ARP", Golden.ArpingRequest[..30], Owned.Table("192.0.2.1"), FrameVerdict.Malformed },
        { "truncated Ethernet", Golden.ArpingRequest[..13], Owned.Table("192.0.2.1"), FrameVerdict.Malformed },
        { "ARP for IPv6 protocol", Patch(Golden.ArpingRequest, 16, 0x86, 0xDD), Owned.Table("192.0.2.1"), FrameVerdict.Malformed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies(string name, byte[] frame, OwnershipTable owned, FrameVerdict expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, ArpClassifier.Classify(frame, Owned.S0, owned, new byte[64], out _, out _, out _));
    }

    [Fact]
    public void Gratuitous_frames_are_broadcast_with_sender_and_target_both_the_ip()
    {
        var frame = new byte[42];
        ArpClassifier.WriteGratuitous(frame, ArpOperation.Reply, Owned.S0.Mac, 0xC0000264);
        EthernetHeader.TryRead(frame, out var eth);
        ArpPacket.TryRead(frame.AsSpan(14), out var arp);
        Assert.Equal(new EthernetHeader(MacAddress.Broadcast, Owned.S0.Mac, EtherType.Arp), eth);
        Assert.Equal(new ArpPacket(ArpOperation.Reply, Owned.S0.Mac, 0xC0000264, MacAddress.Broadcast, 0xC0000264), arp);
    }

    internal static byte[] Patch(byte[] frame, int offset, params byte[] bytes)
    {
        var copy = frame.ToArray();
        bytes.CopyTo(copy, offset);
        return copy;
    }
}
