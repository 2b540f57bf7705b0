using System.Buffers.Binary;
using System.Net;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Tests.Wire;
using MetalLb.Net.Layer2.Wire;
using static MetalLb.Net.Layer2.Tests.Responders.ArpClassifierTests;

namespace MetalLb.Net.Layer2.Tests.Responders;

public sealed class NdpClassifierTests
{
    private static readonly UInt128 Target = AddressBits.ToUInt128(IPAddress.Parse("2001:db8::1"));
    private static readonly MacAddress Client = new(0x0200_0000_C001);

    [Fact]
    public void Answers_ndisc6_exactly_as_the_kernel_does_for_its_own_address()
    {
        var reply = new byte[128];
        var verdict = NdpClassifier.Classify(Golden.Ndisc6Solicitation, Owned.S0, Owned.Table("2001:db8::1"),
            reply, out int n, out _, out _);
        Assert.Equal(FrameVerdict.Answer, verdict);
        Assert.Equal(Golden.KernelAdvertisement, reply[..n]);
    }

    [Fact]
    public void Answers_a_unicast_solicitation_without_source_option_at_the_frames_source_mac()
    {
        var frame = Solicitation(ipSource: V6("2001:db8::2"), ipDestination: Target, sourceOption: null,
            macDestination: Owned.S0.Mac);
        var reply = new byte[128];
        Assert.Equal(FrameVerdict.Answer,
            NdpClassifier.Classify(frame, Owned.S0, Owned.Table("2001:db8::1"), reply, out int n, out _, out _));
        var (eth, ip, na) = Read(reply[..n]);
        Assert.Equal(Client, eth.Destination);
        Assert.Equal((Target, V6("2001:db8::2")), (ip.Source, ip.Destination));
        Assert.Equal(new NeighborAdvertisement(false, true, true, Target, Owned.S0.Mac), na);
    }

    [Fact]
    public void Answers_a_duplicate_address_probe_to_all_nodes_unsolicited()
    {
        var frame = Solicitation(ipSource: 0, ipDestination: AddressBits.SolicitedNodeMulticast(Target), sourceOption: null);
        var reply = new byte[128];
        Assert.Equal(FrameVerdict.Answer,
            NdpClassifier.Classify(frame, Owned.S0, Owned.Table("2001:db8::1"), reply, out int n, out _, out _));
        var (eth, ip, na) = Read(reply[..n]);
        Assert.Equal("33:33:00:00:00:01", eth.Destination.ToString());
        Assert.Equal(AddressBits.AllNodes, ip.Destination);
        Assert.False(na.Solicited);
        Assert.True(na.Override);
    }

    public static TheoryData<string, byte[], OwnershipTable, FrameVerdict> Cases => new()
    {
        { "target owned by nobody", Golden.Ndisc6Solicitation, Owned.Table("2001:db8::9"), FrameVerdict.NotOwned },
        { "owned only on another link", Golden.Ndisc6Solicitation, Owned.OnlyOn("s1", "2001:db8::1"), FrameVerdict.NotOwned },
        { "hop limit 254: forwarded by a router", Patch(Golden.Ndisc6Solicitation, 21, 254), Owned.Table("2001:db8::1"), FrameVerdict.Malformed },
        { "checksum off by one", Patch(Golden.Ndisc6Solicitation, 57, 0x60), Owned.Table("2001:db8::1"), FrameVerdict.Malformed },
        { "payload length past the frame", Patch(Golden.Ndisc6Solicitation, 18, 0, 0x40), Owned.Table("2001:db8::1"), FrameVerdict.Malformed },
        { "IP version 4 in an IPv6 frame", Patch(Golden.Ndisc6Solicitation, 14, 0x45), Owned.Table("2001:db8::1"), FrameVerdict.Malformed },
        { "an advertisement, not a solicitation", Golden.KernelAdvertisement, Owned.Table("2001:db8::1"), FrameVerdict.Ignored },
        { "our own frame", Patch(Golden.Ndisc6Solicitation, 6, 0x02, 0, 0, 0, 0xA0, 0x01), Owned.Table("2001:db8::1"), FrameVerdict.Ignored },
        { "DAD probe carrying a source option", Solicitation(0, AddressBits.SolicitedNodeMulticast(Target), Client), Owned.Table("2001:db8::1"), FrameVerdict.Malformed },
        { "sent to another node's group", Solicitation(V6("2001:db8::2"), AddressBits.SolicitedNodeMulticast(V6("2001:db8::77")), Client), Owned.Table("2001:db8::1"), FrameVerdict.Ignored },
        { "ARP frame on the IPv6 socket", Golden.ArpingRequest, Owned.Table("2001:db8::1"), FrameVerdict.Ignored },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classifies(string name, byte[] frame, OwnershipTable owned, FrameVerdict expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, NdpClassifier.Classify(frame, Owned.S0, owned, new byte[128], out _, out _, out _));
    }

    internal static byte[] Solicitation(UInt128 ipSource, UInt128 ipDestination, MacAddress? sourceOption, MacAddress? macDestination = null)
    {
        var ns = new NeighborSolicitation(Target, sourceOption);
        var frame = new byte[14 + 40 + ns.GetEncodedLength()];
        int n = new EthernetHeader(macDestination ?? MacAddress.ForIpv6Multicast(ipDestination), Client, EtherType.IPv6).Write(frame);
        n += new Ipv6Header((ushort)ns.GetEncodedLength(), 58, 255, ipSource, ipDestination).Write(frame.AsSpan(n));
        ns.Write(frame.AsSpan(n), ipSource, ipDestination);
        return frame;
    }

    private static (EthernetHeader, Ipv6Header, NeighborAdvertisement) Read(byte[] frame)
    {
        EthernetHeader.TryRead(frame, out var eth);
        Ipv6Header.TryRead(frame.AsSpan(14), out var ip);
        var icmp = frame.AsSpan(54, ip.PayloadLength);
        Assert.Equal(0, InternetChecksum.ComputeIcmpv6(ip.Source, ip.Destination, icmp));
        Assert.Equal(255, ip.HopLimit);
        NeighborAdvertisement.TryRead(icmp, out var na);
        return (eth, ip, na);
    }

    private static UInt128 V6(string ip) => AddressBits.ToUInt128(IPAddress.Parse(ip));
}
