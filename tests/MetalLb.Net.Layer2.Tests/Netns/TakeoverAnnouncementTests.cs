using System.Net;
using MetalLb.Net.Layer2.Tests.Lab;

namespace MetalLb.Net.Layer2.Tests.Netns;

/// <summary>A takeover as the LAN sees it: tcpdump on the client counts the announcements.</summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", "netns")]
public sealed class TakeoverAnnouncementTests
{
    private const string SpeakerMac = "02:00:00:00:a0:01";

    [SkippableFact]
    public void A_takeover_sends_five_rounds_of_gratuitous_arp_and_unsolicited_na()
    {
        using var lab = new NetnsLab();
        lab.AddLink("s0", SpeakerMac, "c0", "02:00:00:00:c0:01", "192.0.2.1/24", "192.0.2.2/24");
        using var announcer = new Layer2Announcer(new Layer2Options(), lab.SpeakerSockets);
        announcer.Start();
        var dump = Tcpdump.StartInClient(lab, "c0", $"ether src {SpeakerMac} and (arp or (icmp6 and ip6[40] == 136))");

        announcer.Announce(IPAddress.Parse("192.0.2.100"));
        announcer.Announce(IPAddress.Parse("2001:db8::100"));
        Eventually.Until(() => !announcer.AnnouncementsPending, TimeSpan.FromSeconds(30), "announcements finish");
        // Every packet the announcer counted has left; wait until tcpdump has printed them all.
        // (The filter keeps only ARP and Neighbor Advertisements from the speaker.)
        Eventually.Until(() => dump.Lines.Count >= 15, TimeSpan.FromSeconds(15), "tcpdump sees 15 packets");
        var lines = dump.Stop();

        var requests = lines.Count(l => l.Contains("ff:ff:ff:ff:ff:ff", StringComparison.Ordinal)
            && l.Contains("Request who-has 192.0.2.100 (ff:ff:ff:ff:ff:ff) tell 192.0.2.100", StringComparison.Ordinal));
        var replies = lines.Count(l => l.Contains("ff:ff:ff:ff:ff:ff", StringComparison.Ordinal)
            && l.Contains($"Reply 192.0.2.100 is-at {SpeakerMac}", StringComparison.Ordinal));
        var advertisements = lines.Count(l => l.Contains("> 33:33:00:00:00:01", StringComparison.Ordinal)
            && l.Contains("2001:db8::100 > ff02::1: ICMP6, neighbor advertisement, tgt is 2001:db8::100", StringComparison.Ordinal));
        Assert.Equal(5, requests);
        Assert.Equal(5, replies);
        Assert.Equal(5, advertisements);
        Assert.Equal(15, lines.Count);
        Assert.Equal(15, announcer.Metrics.GratuitousSent);
    }
}
