using System.Buffers;
using System.Net;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Wire;

public sealed class NdpMessageTests
{
    private static readonly UInt128 Target = V6("2001:db8::1");

    [Fact]
    public void Reads_the_solicitation_ndisc6_sent_and_its_checksum_verifies()
    {
        var frame = Golden.Ndisc6Solicitation;
        Assert.Equal(OperationStatus.Done, Ipv6Header.TryRead(frame.AsSpan(14), out var ip));
        Assert.Equal((32, 58, 255), (ip.PayloadLength, ip.NextHeader, ip.HopLimit));
        Assert.Equal(V6("fe80::ff:fe00:c001"), ip.Source);
        Assert.Equal(AddressBits.SolicitedNodeMulticast(Target), ip.Destination);
        var icmp = frame.AsSpan(54, 32);
        Assert.Equal(0, InternetChecksum.ComputeIcmpv6(ip.Source, ip.Destination, icmp));
        Assert.Equal(OperationStatus.Done, NeighborSolicitation.TryRead(icmp, out var ns));
        Assert.Equal(new NeighborSolicitation(Target, new MacAddress(0x0200_0000_C001)), ns);
    }

    [Fact]
    public void Reads_the_kernels_advertisement()
    {
        Assert.Equal(OperationStatus.Done, NeighborAdvertisement.TryRead(Golden.KernelAdvertisement.AsSpan(54), out var na));
        Assert.Equal(new NeighborAdvertisement(false, true, true, Target, new MacAddress(0x0200_0000_A001)), na);
    }

    [Fact]
    public void Writes_the_kernels_advertisement_byte_for_byte_into_a_dirty_buffer()
    {
        var buffer = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        int n = new NeighborAdvertisement(false, true, true, Target, new MacAddress(0x0200_0000_A001))
            .Write(buffer, Target, V6("fe80::ff:fe00:c001"));
        Assert.Equal(Golden.KernelAdvertisement[54..], buffer[..n]);
    }

    [Fact]
    public void A_written_solicitation_reads_back_and_matches_ndisc6s()
    {
        var buffer = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var ns = new NeighborSolicitation(Target, new MacAddress(0x0200_0000_C001));
        int n = ns.Write(buffer, V6("fe80::ff:fe00:c001"), AddressBits.SolicitedNodeMulticast(Target));
        Assert.Equal(Golden.Ndisc6Solicitation[54..], buffer[..n]);
    }

    public static TheoryData<string, byte[], OperationStatus> BadSolicitations => new()
    {
        { "23 bytes", Icmp()[..23], OperationStatus.NeedMoreData },
        { "code 1", Icmp(1, 1), OperationStatus.InvalidData },
        { "type 136", Icmp(0, 136), OperationStatus.InvalidData },
        { "multicast target", Icmp(8, 0xFF, 0x02), OperationStatus.InvalidData },
        { "option length 0", Icmp(25, 0), OperationStatus.InvalidData },
        { "option longer than the message", Icmp(25, 2), OperationStatus.InvalidData },
        { "one stray option byte", [.. Icmp(), 1], OperationStatus.InvalidData },
    };

    [Theory]
    [MemberData(nameof(BadSolicitations))]
    public void Rejects(string name, byte[] icmp, OperationStatus expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, NeighborSolicitation.TryRead(icmp, out _));
    }

    [Fact]
    public void Unknown_options_are_skipped_and_the_link_layer_option_still_found()
    {
        byte[] icmp = [.. Icmp()[..24], 14, 1, 0, 0, 0, 0, 0, 0, .. Icmp()[24..]]; // type 14 (nonce), 8 bytes
        Assert.Equal(OperationStatus.Done, NeighborSolicitation.TryRead(icmp, out var ns));
        Assert.Equal(new MacAddress(0x0200_0000_C001), ns.SourceLinkLayerAddress);
    }

    [Fact]
    public void Rfc1071_example_sums_as_the_rfc_says()
    {
        // RFC 1071 §3: 0001 f203 f4f5 f6f7 sums to ddf2, so the checksum is its complement.
        Assert.Equal(0x220D, InternetChecksum.Compute([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]));
    }

    [Fact]
    public void Solicited_node_group_and_its_mac_follow_rfc_4291_and_2464()
    {
        var group = AddressBits.SolicitedNodeMulticast(V6("2001:db8::12:3456"));
        Assert.Equal(IPAddress.Parse("ff02::1:ff12:3456"), AddressBits.FromUInt128(group));
        Assert.Equal("33:33:ff:12:34:56", MacAddress.ForIpv6Multicast(group).ToString());
    }

    private static byte[] Icmp(int offset = 0, params byte[] patch)
    {
        var icmp = Golden.Ndisc6Solicitation[54..];
        patch.CopyTo(icmp, offset);
        return icmp;
    }

    private static UInt128 V6(string ip) => AddressBits.ToUInt128(IPAddress.Parse(ip));
}
