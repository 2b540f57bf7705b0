using System.Net;
using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Tests.Lab;
using static MetalLb.Net.Layer2.Tests.Lab.NeighbourTools;

namespace MetalLb.Net.Layer2.Tests.Netns;

/// <summary>Which links answer: masters not their ports, only the `interfaces` listed, links as they come and go.</summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", "netns")]
public sealed class LinkSelectionTests
{
    private const string S0Mac = "02:00:00:00:a0:01", S1Mac = "02:00:00:00:a1:01", BridgeMac = "02:00:00:00:b0:01";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public void A_bridge_answers_with_its_own_mac_not_its_port_and_links_are_followed_as_they_change()
    {
        using var lab = new NetnsLab();
        lab.AddLink("s0", S0Mac, "c0", "02:00:00:00:c0:01", clientV4: "192.0.2.2/24");
        using var announcer = new Layer2Announcer(
            new Layer2Options { LinkScanInterval = TimeSpan.FromMilliseconds(200) }, lab.SpeakerSockets);
        announcer.Start();
        announcer.Announce(IPAddress.Parse("192.0.2.100"));
        Assert.Equal([S0Mac], ArpingUntilAnswered(lab, "c0", "192.0.2.100"));

        // s0 becomes a bridge port while running: the bridge answers, the port stops.
        lab.IpSpeaker("link", "add", "br0", "address", BridgeMac, "type", "bridge");
        lab.IpSpeaker("link", "set", "s0", "master", "br0");
        lab.IpSpeaker("link", "set", "br0", "up");
        Eventually.Until(() => announcer.ActiveLinks.Select(l => l.Name).Order().SequenceEqual(["br0"]),
            Settle, "responders move from s0 to br0");
        Assert.Equal(LinkVerdict.Enslaved, announcer.LinkVerdicts["s0"]);
        var macs = Eventually.Until(() => Arping(lab, "c0", "192.0.2.100", count: 2), m => m.Count > 0,
            Settle, "the bridge answers");
        Assert.All(macs, mac => Assert.Equal(BridgeMac, mac));

        // The bridge vanishes: its responder goes and s0, a plain link again, answers once more.
        lab.IpSpeaker("link", "del", "br0");
        Eventually.Until(() => announcer.ActiveLinks.Select(l => l.Name).Order().SequenceEqual(["s0"]),
            Settle, "responders back on s0");
        Assert.Equal([S0Mac], ArpingUntilAnswered(lab, "c0", "192.0.2.100"));
    }

    [SkippableFact]
    public void Only_the_listed_interfaces_answer_and_a_link_added_later_is_picked_up()
    {
        using var lab = new NetnsLab();
        lab.AddLink("s0", S0Mac, "c0", "02:00:00:00:c0:01", clientV4: "192.0.2.2/24", clientV6: "2001:db8::2/64");
        using var announcer = new Layer2Announcer(
            new Layer2Options { LinkScanInterval = TimeSpan.FromMilliseconds(200) }, lab.SpeakerSockets);
        announcer.Start();
        announcer.Announce(IPAddress.Parse("203.0.113.10"), ["s1"]);
        announcer.Announce(IPAddress.Parse("2001:db8:1::10"), ["s1"]);

        // s1 does not exist yet: nothing answers anywhere.
        ArpingUnanswered(lab, "c0", "203.0.113.10", count: 2);

        lab.AddLink("s1", S1Mac, "c1", "02:00:00:00:c1:01", clientV4: "198.51.100.2/24", clientV6: "2001:db8:1::2/64");
        Eventually.Until(() => announcer.ActiveLinks.Any(l => l.Name == "s1"), Settle, "s1 gets a responder");

        Assert.Equal([S1Mac], ArpingUntilAnswered(lab, "c1", "203.0.113.10"));
        Assert.Equal(S1Mac, Ndisc6UntilAnswered(lab, "c1", "2001:db8:1::10"));
        // ndisc6 takes a matching NA from any interface for a global target, so the takeover NAs
        // still going out on s1 -> c1 would look like answers on c0; check c0 once they are over.
        Eventually.Until(() => !announcer.AnnouncementsPending, Settle, "takeover announcements finish");
        ArpingUnanswered(lab, "c0", "203.0.113.10", count: 3);
        Ndisc6Unanswered(lab, "c0", "2001:db8:1::10", tries: 2);
    }

    [SkippableFact]
    public void A_noarp_link_does_not_answer_until_arp_is_turned_back_on()
    {
        using var lab = new NetnsLab();
        lab.AddLink("s0", S0Mac, "c0", "02:00:00:00:c0:01", clientV4: "192.0.2.2/24");
        lab.IpSpeaker("link", "set", "s0", "arp", "off");
        using var announcer = new Layer2Announcer(
            new Layer2Options { LinkScanInterval = TimeSpan.FromMilliseconds(200) }, lab.SpeakerSockets);
        announcer.Start();
        announcer.Announce(IPAddress.Parse("192.0.2.100"));
        Assert.Equal(LinkVerdict.NoArp, announcer.LinkVerdicts["s0"]);
        ArpingUnanswered(lab, "c0", "192.0.2.100", count: 2);

        lab.IpSpeaker("link", "set", "s0", "arp", "on");
        Eventually.Until(() => announcer.LinkVerdicts["s0"] == LinkVerdict.Eligible, Settle, "s0 eligible again");
        Assert.Equal([S0Mac], ArpingUntilAnswered(lab, "c0", "192.0.2.100"));
    }
}
