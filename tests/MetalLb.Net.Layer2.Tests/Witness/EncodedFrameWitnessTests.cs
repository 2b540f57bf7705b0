using System.Net;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Tests.Responders;
using MetalLb.Net.Layer2.Tests.Wire;
using MetalLb.Net.Layer2.Wire;
using static MetalLb.Net.Layer2.Tests.Witness.PacketDotNetWitness;
using Pdn = PacketDotNet;

namespace MetalLb.Net.Layer2.Tests.Witness;

/// <summary>
/// Every frame our Layer 2 code sends, from the pure encoders, read back by PacketDotNet: ARP
/// reply, the gratuitous request/reply pair, Neighbor Advertisements solicited and unsolicited
/// with their target link-layer option, and the ICMPv6 checksum as PacketDotNet computes it.
/// </summary>
public sealed class EncodedFrameWitnessTests
{
    private const string SpeakerMac = "02:00:00:00:a0:01", ClientMac = "02:00:00:00:c0:01";

    [Fact]
    public void The_witness_itself_agrees_with_the_kernels_advertisement_checksum()
    {
        // Calibrates the witness: a frame the Linux kernel sent must check out, or the checks below prove nothing.
        var kernel = ReadAdvertisement(Golden.KernelAdvertisement);
        Assert.Equal(0x5aab, kernel.ChecksumSent);
        Assert.Equal(kernel.ChecksumSent, kernel.ChecksumComputed);
        // And a flipped bit anywhere in the message (the option's last byte, the target, the flags) must not.
        foreach (int at in new[] { Golden.KernelAdvertisement.Length - 1, 14 + 40 + 8, 14 + 40 + 4 })
        {
            var broken = (byte[])Golden.KernelAdvertisement.Clone();
            broken[at] ^= 0x01;
            Assert.False(ReadAdvertisement(broken).ChecksumValid, $"byte {at} flipped");
        }
    }

    [Fact]
    public void Arp_reply_to_arping()
    {
        var reply = new byte[ArpClassifier.ReplySize];
        Assert.Equal(FrameVerdict.Answer, ArpClassifier.Classify(Golden.ArpingRequest, Owned.S0, Owned.Table("192.0.2.1"),
            reply, out int n, out _, out _));
        Assert.Equal(new Arp(ClientMac, SpeakerMac, Pdn.ArpOperation.Response, SpeakerMac, IP("192.0.2.1"), ClientMac, IP("192.0.2.2")),
            ReadArp(reply[..n]));
    }

    [Theory]
    [InlineData(ArpOperation.Request, Pdn.ArpOperation.Request)]
    [InlineData(ArpOperation.Reply, Pdn.ArpOperation.Response)]
    public void Gratuitous_arp_of_the_pair(ArpOperation ours, Pdn.ArpOperation theirs)
    {
        var frame = Enumerable.Repeat((byte)0xFF, 64).ToArray();
        int n = ArpClassifier.WriteGratuitous(frame, ours, Owned.S0.Mac, AddressBits.ToUInt32(IP("192.0.2.100")));
        // RFC 5227 §3: broadcast, sender IP = target IP, target MAC broadcast (as upstream sends it).
        Assert.Equal(new Arp("ff:ff:ff:ff:ff:ff", SpeakerMac, theirs, SpeakerMac, IP("192.0.2.100"), "ff:ff:ff:ff:ff:ff", IP("192.0.2.100")),
            ReadArp(frame[..n]));
    }

    [Fact]
    public void Solicited_advertisement_to_ndisc6()
    {
        var reply = new byte[NdpClassifier.AdvertisementFrameSize];
        Assert.Equal(FrameVerdict.Answer, NdpClassifier.Classify(Golden.Ndisc6Solicitation, Owned.S0, Owned.Table("2001:db8::1"),
            reply, out int n, out _, out _));
        var na = ReadAdvertisement(reply[..n]);
        Assert.Equal((ClientMac, SpeakerMac), (na.EthernetDestination, na.EthernetSource));
        Assert.Equal((IP("2001:db8::1"), IP("fe80::ff:fe00:c001"), 255), (na.IpSource, na.IpDestination, na.HopLimit));
        Assert.Equal((false, true, true), (na.Router, na.Solicited, na.Override));
        Assert.Equal((IP("2001:db8::1"), SpeakerMac), (na.Target, na.TargetLinkLayerAddress));
        Assert.Equal(na.ChecksumSent, na.ChecksumComputed);
    }

    [Theory]
    [InlineData("2001:db8::100")]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:fffe")]
    [InlineData("fe80::1")]
    public void Unsolicited_advertisement_of_a_takeover(string target)
    {
        var frame = Enumerable.Repeat((byte)0xFF, NdpClassifier.AdvertisementFrameSize).ToArray();
        int n = NdpClassifier.WriteUnsolicited(frame, Owned.S0.Mac, AddressBits.ToUInt128(IP(target)));
        var na = ReadAdvertisement(frame[..n]);
        // RFC 4861 §7.2.6: to all-nodes (33:33:00:00:00:01), S=0, O=1, with the target link-layer option.
        Assert.Equal(("33:33:00:00:00:01", SpeakerMac), (na.EthernetDestination, na.EthernetSource));
        Assert.Equal((IP(target), IP("ff02::1"), 255), (na.IpSource, na.IpDestination, na.HopLimit));
        Assert.Equal((false, false, true), (na.Router, na.Solicited, na.Override));
        Assert.Equal((IP(target), SpeakerMac), (na.Target, na.TargetLinkLayerAddress));
        Assert.Equal(na.ChecksumSent, na.ChecksumComputed);
    }

    private static IPAddress IP(string s) => IPAddress.Parse(s);
}
