using System.Net;
using MetalLb.Net.Layer2.Tests.Lab;
using MetalLb.Net.Layer2.Tests.Netns;
using static MetalLb.Net.Layer2.Tests.Lab.NeighbourTools;
using static MetalLb.Net.Layer2.Tests.Witness.PacketDotNetWitness;
using Pdn = PacketDotNet;

namespace MetalLb.Net.Layer2.Tests.Witness;

/// <summary>
/// The frames our responder and announcer put on a real veth, captured by tcpdump into a pcap
/// file in the client namespace and decoded by SharpPcap's file reader and PacketDotNet: what
/// the LAN receives, read by code we did not write (issue 14).
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", "netns")]
public sealed class CapturedFrameWitnessTests
{
    private const string SpeakerMac = "02:00:00:00:a0:01", ClientMac = "02:00:00:00:c0:01";

    [SkippableFact]
    public void Every_frame_we_send_on_a_veth_decodes_with_packetdotnet_and_its_checksums_hold()
    {
        using var lab = new NetnsLab();
        lab.AddLink("s0", SpeakerMac, "c0", ClientMac, "192.0.2.1/24", "192.0.2.2/24", "2001:db8::1/64", "2001:db8::2/64");
        string pcap = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{lab.Client}.pcap");
        try
        {
            using var announcer = new Layer2Announcer(new Layer2Options(), lab.SpeakerSockets);
            announcer.Start();
            // Only what the speaker sends: ARP and Neighbor Advertisements from its MAC.
            var capture = PcapCapture.StartInClient(lab, "c0", pcap, $"ether src {SpeakerMac} and (arp or (icmp6 and ip6[40] == 136))");

            announcer.Announce(IPAddress.Parse("192.0.2.100"));
            announcer.Announce(IPAddress.Parse("2001:db8::100"));
            // Questions from the client: arping (ARP reply) and ndisc6 (solicited NA).
            Assert.Equal([SpeakerMac], ArpingUntilAnswered(lab, "c0", "192.0.2.100"));
            Assert.Equal(SpeakerMac, Ndisc6UntilAnswered(lab, "c0", "2001:db8::100"));
            Eventually.Until(() => !announcer.AnnouncementsPending, TimeSpan.FromSeconds(30), "announcements finish");
            // 5 rounds x (request + reply + NA), at least one ARP reply and one solicited NA.
            Eventually.Until(() => capture.Packets >= 17, TimeSpan.FromSeconds(15), "tcpdump captures 17 frames");
            var frames = capture.StopAndRead();

            var arps = frames.Where(f => f.Length >= 14 && f[12] == 0x08 && f[13] == 0x06).Select(ReadArp).ToList();
            var nas = frames.Where(f => f.Length >= 14 && f[12] == 0x86 && f[13] == 0xDD).Select(ReadAdvertisement).ToList();
            Assert.Equal(frames.Count, arps.Count + nas.Count);

            var gratuitous = new Arp("ff:ff:ff:ff:ff:ff", SpeakerMac, Pdn.ArpOperation.Request, SpeakerMac, IP("192.0.2.100"), "ff:ff:ff:ff:ff:ff", IP("192.0.2.100"));
            Assert.Equal(5, arps.Count(a => a == gratuitous));
            Assert.Equal(5, arps.Count(a => a == gratuitous with { Operation = Pdn.ArpOperation.Response }));
            var answers = arps.Where(a => a.Operation == Pdn.ArpOperation.Response && a.EthernetDestination == ClientMac).ToList();
            Assert.NotEmpty(answers);
            Assert.All(answers, a => Assert.Equal(
                new Arp(ClientMac, SpeakerMac, Pdn.ArpOperation.Response, SpeakerMac, IP("192.0.2.100"), ClientMac, IP("192.0.2.2")), a));
            Assert.Equal(arps.Count, 10 + answers.Count);

            Assert.All(nas, na =>
            {
                Assert.Equal(na.ChecksumSent, na.ChecksumComputed);
                Assert.Equal((SpeakerMac, IP("2001:db8::100"), 255), (na.EthernetSource, na.IpSource, na.HopLimit));
                Assert.Equal((IP("2001:db8::100"), SpeakerMac), (na.Target, na.TargetLinkLayerAddress));
                Assert.Equal((false, true), (na.Router, na.Override));
            });
            var unsolicited = nas.Where(na => !na.Solicited).ToList();
            Assert.Equal(5, unsolicited.Count);
            Assert.All(unsolicited, na => Assert.Equal(("33:33:00:00:00:01", IP("ff02::1")), (na.EthernetDestination, na.IpDestination)));
            var solicited = nas.Where(na => na.Solicited).ToList();
            Assert.NotEmpty(solicited);
            // ndisc6 solicits from the client's link-local address, with its MAC in the source option.
            Assert.All(solicited, na => Assert.Equal(ClientMac, na.EthernetDestination));
            Assert.All(solicited, na => Assert.True(na.IpDestination.IsIPv6LinkLocal || na.IpDestination.Equals(IP("2001:db8::2")), $"{na.IpDestination}"));
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private static IPAddress IP(string s) => IPAddress.Parse(s);
}
