using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.Ndp;

namespace MetalLb.Net.Layer2.Tests.Witness;

/// <summary>
/// What PacketDotNet, a parser we did not write, reads in a frame: a second opinion on our
/// encoders, so a field our own decoder and encoder agree on wrongly still shows up (issue 14).
/// </summary>
internal static class PacketDotNetWitness
{
    public sealed record Arp(string EthernetDestination, string EthernetSource, ArpOperation Operation,
        string SenderMac, IPAddress SenderIp, string TargetMac, IPAddress TargetIp);

    public sealed record Advertisement(string EthernetDestination, string EthernetSource, IPAddress IpSource,
        IPAddress IpDestination, int HopLimit, bool Router, bool Solicited, bool Override, IPAddress Target,
        string? TargetLinkLayerAddress, ushort ChecksumSent, ushort ChecksumComputed)
    {
        public bool ChecksumValid => ChecksumSent == ChecksumComputed;
    }

    public static Arp ReadArp(byte[] frame)
    {
        var ethernet = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame);
        Assert.Equal(EthernetType.Arp, ethernet.Type);
        var arp = ethernet.Extract<ArpPacket>() ?? throw new InvalidOperationException("PacketDotNet found no ARP packet");
        // Ethernet/IPv4 ARP (RFC 826): anything else is a frame no host would read.
        Assert.Equal(LinkLayers.Ethernet, arp.HardwareAddressType);
        Assert.Equal(EthernetType.IPv4, arp.ProtocolAddressType);
        return new Arp(Mac(ethernet.DestinationHardwareAddress), Mac(ethernet.SourceHardwareAddress), arp.Operation,
            Mac(arp.SenderHardwareAddress), arp.SenderProtocolAddress, Mac(arp.TargetHardwareAddress), arp.TargetProtocolAddress);
    }

    /// <summary>
    /// Reads Ethernet, IPv6, ICMPv6 and the Neighbor Advertisement, and checks the ICMPv6 checksum
    /// with PacketDotNet's one's-complement sum over the RFC 8200 §8.1 pseudo-header and the
    /// payload as PacketDotNet delimits it (its PayloadLength): a valid message sums to zero.
    /// PacketDotNet's own recompute (IcmpV6Packet.UpdateCalculatedValues) is not used: measured
    /// here, it leaves the NDP options out of the sum, so a flipped option byte went unnoticed.
    /// </summary>
    public static Advertisement ReadAdvertisement(byte[] frame)
    {
        var ethernet = (EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, (byte[])frame.Clone());
        Assert.Equal(EthernetType.IPv6, ethernet.Type);
        var ip = ethernet.Extract<IPv6Packet>() ?? throw new InvalidOperationException("PacketDotNet found no IPv6 packet");
        Assert.Equal(6, (int)ip.Version);
        Assert.Equal(ProtocolType.IcmpV6, ip.NextHeader);
        var icmp = ethernet.Extract<IcmpV6Packet>() ?? throw new InvalidOperationException("PacketDotNet found no ICMPv6 packet");
        Assert.Equal(IcmpV6Type.NeighborAdvertisement, icmp.Type);
        Assert.Equal(0, icmp.Code);
        var na = ethernet.Extract<NdpNeighborAdvertisementPacket>() ?? throw new InvalidOperationException("PacketDotNet found no Neighbor Advertisement");
        string? tlla = na.OptionsCollection.OfType<NdpLinkLayerAddressOption>()
            .Where(o => o.Type == OptionTypes.TargetLinkLayerAddress).Select(o => Mac(o.LinkLayerAddress)).SingleOrDefault();
        return new Advertisement(Mac(ethernet.DestinationHardwareAddress), Mac(ethernet.SourceHardwareAddress),
            ip.SourceAddress, ip.DestinationAddress, ip.HopLimit, na.Router, na.Solicited, na.Override, na.TargetAddress,
            tlla, icmp.Checksum, ComputeChecksum(frame, ip));
    }

    private static ushort ComputeChecksum(byte[] frame, IPv6Packet ip)
    {
        const int icmpOffset = 14 + 40;   // Ethernet, then an IPv6 header without extension headers
        var pseudo = new List<byte>();
        pseudo.AddRange(ip.SourceAddress.GetAddressBytes());
        pseudo.AddRange(ip.DestinationAddress.GetAddressBytes());
        pseudo.AddRange([0, 0, (byte)(ip.PayloadLength >> 8), (byte)ip.PayloadLength, 0, 0, 0, (byte)ProtocolType.IcmpV6]);
        pseudo.AddRange(frame.AsSpan(icmpOffset, ip.PayloadLength).ToArray());
        byte[] summed = [.. pseudo];
        summed[40 + 2] = summed[40 + 3] = 0;   // the checksum field itself counts as zero
        return (ushort)PacketDotNet.Utils.ChecksumUtils.OnesComplementSum(summed, 0, summed.Length);
    }

    /// <summary>aa:bb:cc:dd:ee:ff, as tcpdump and our tests write MACs.</summary>
    public static string Mac(PhysicalAddress address) =>
        string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
