using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Tests.Lab;
using MetalLb.Net.Layer2.Tests.Responders;
using MetalLb.Net.Layer2.Tests.Wire;
using MetalLb.Net.Layer2.Wire;
using static MetalLb.Net.Layer2.Tests.Lab.NeighbourTools;

namespace MetalLb.Net.Layer2.Tests.Netns;

/// <summary>Seeded junk sent over the wire to the real responder: counted as malformed, and it keeps answering.</summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", "netns")]
public sealed class MalformedFrameTests
{
    private const string SpeakerMac = "02:00:00:00:a0:01";

    [SkippableFact]
    public void Truncated_and_random_frames_are_counted_and_the_responder_still_answers()
    {
        using var lab = new NetnsLab();
        lab.AddLink("s0", SpeakerMac, "c0", "02:00:00:00:c0:01", "192.0.2.1/24", "192.0.2.2/24", "2001:db8::1/64", "2001:db8::2/64");
        using var announcer = new Layer2Announcer(new Layer2Options(), lab.SpeakerSockets);
        announcer.Start();
        announcer.Announce(IPAddress.Parse("192.0.2.100"));
        announcer.Announce(IPAddress.Parse("2001:db8::100"));
        Eventually.Until(() => !announcer.AnnouncementsPending, TimeSpan.FromSeconds(30), "takeover rounds finish");

        var frames = Junk(new Random(0x5227));
        // What the pure classifier says about each frame is what the responder must count. Only
        // frames that pass the socket's kernel filter reach it: ARP opcode 1, or ICMPv6 type 135.
        var table = Owned.Table("192.0.2.100", "2001:db8::100");
        var link = new LinkIdentity("s0", 0, new MacAddress(0x0200_0000_A001));
        bool IsMalformed(byte[] f) => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0806
            ? ArpClassifier.Classify(f, link, table, new byte[64], out _, out _, out _) == FrameVerdict.Malformed
            : NdpClassifier.Classify(f, link, table, new byte[128], out _, out _, out _) == FrameVerdict.Malformed;
        int expected = frames.Count(IsMalformed);
        Assert.True(expected > 100, $"only {expected} of {frames.Count} junk frames are malformed");

        using var client = new NamespaceSocketProvider(lab.Client);
        int index = int.Parse(lab.IpClient("-o", "link", "show", "c0").Split(':')[0], CultureInfo.InvariantCulture);
        using var socket = client.Create(() => new Socket(AddressFamily.Packet, SocketType.Raw, ProtocolType.Unspecified));
        socket.Bind(new LinkLayerEndPoint(index, 0));
        // In chunks, each waited for, so no socket buffer on the way can overflow and lose some.
        int sent = 0;
        foreach (var chunk in frames.Chunk(50))
        {
            foreach (var frame in chunk)
                socket.Send(frame);
            sent += chunk.Count(IsMalformed);
            Eventually.Until(() => announcer.Metrics.MalformedDropped, n => n >= sent, TimeSpan.FromSeconds(15),
                $"{sent} malformed frames counted");
        }
        Assert.Equal(expected, announcer.Metrics.MalformedDropped);
        Assert.Equal([SpeakerMac], ArpingUntilAnswered(lab, "c0", "192.0.2.100"));
        Assert.Equal(SpeakerMac, Ndisc6UntilAnswered(lab, "c0", "2001:db8::100"));
    }

    /// <summary>Every truncation that the kernel filter lets through, plus seeded random bodies behind a passing header.</summary>
    private static List<byte[]> Junk(Random random)
    {
        var frames = new List<byte[]>();
        for (int n = 22; n < 42; n++)
            frames.Add(Golden.ArpingRequest[..n]);
        for (int n = 55; n < Golden.Ndisc6Solicitation.Length; n++)
            frames.Add(Golden.Ndisc6Solicitation[..n]);
        for (int i = 0; i < 200; i++)
        {
            var arp = Golden.ArpingRequest.ToArray();
            random.NextBytes(arp.AsSpan(14, 6)); // hardware/protocol type and lengths
            arp[20] = 0;
            arp[21] = 1;
            frames.Add(arp);
            var ns = Golden.Ndisc6Solicitation.ToArray();
            random.NextBytes(ns.AsSpan(14 + 6 + 2)); // everything after next header and hop limit
            ns[54] = 135;
            frames.Add(ns);
        }
        return frames;
    }
}
