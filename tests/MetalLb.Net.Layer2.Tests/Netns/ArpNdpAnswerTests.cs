using System.Net;
using MetalLb.Net.Layer2.Tests.Lab;
using static MetalLb.Net.Layer2.Tests.Lab.NeighbourTools;

namespace MetalLb.Net.Layer2.Tests.Netns;

/// <summary>arping, ndisc6 and the client kernel ask for an IP configured nowhere; our responder answers.</summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", "netns")]
public sealed class ArpNdpAnswerTests
{
    private const string SpeakerMac = "02:00:00:00:a0:01";
    private const string ClientMac = "02:00:00:00:c0:01";
    // Made inside each test (not in a constructor) so a missing prerequisite skips or fails
    // that test with its reason; `using` deletes the namespaces even when the test fails.
    private static NetnsLab NewLab()
    {
        var lab = new NetnsLab();
        try
        {
            lab.AddLink("s0", SpeakerMac, "c0", ClientMac,
                "192.0.2.1/24", "192.0.2.2/24", "2001:db8::1/64", "2001:db8::2/64");
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    [SkippableFact]
    public void Arping_gets_our_mac_for_an_owned_ipv4_and_nothing_once_released()
    {
        using var lab = NewLab();
        using var announcer = Start(lab);
        announcer.Announce(IPAddress.Parse("192.0.2.100"));

        Assert.Equal([SpeakerMac], ArpingUntilAnswered(lab, "c0", "192.0.2.100"));
        ArpingUnanswered(lab, "c0", "192.0.2.101", count: 2); // owned by nobody
        Assert.True(announcer.Metrics.ResponsesSent >= 1);

        announcer.Withdraw(IPAddress.Parse("192.0.2.100"));
        ArpingUnanswered(lab, "c0", "192.0.2.100", count: 3);
    }

    [SkippableFact]
    public void Ndisc6_gets_our_mac_for_an_owned_ipv6_and_nothing_once_released()
    {
        using var lab = NewLab();
        using var announcer = Start(lab);
        announcer.Announce(IPAddress.Parse("2001:db8::100"));

        Assert.Equal(SpeakerMac, Ndisc6UntilAnswered(lab, "c0", "2001:db8::100"));
        Ndisc6Unanswered(lab, "c0", "2001:db8::101", tries: 2);

        announcer.Withdraw(IPAddress.Parse("2001:db8::100"));
        Ndisc6Unanswered(lab, "c0", "2001:db8::100", tries: 3);
    }

    [SkippableTheory]
    [InlineData("192.0.2.100")]
    [InlineData("2001:db8::100")]
    public void Ping_resolves_the_ip_to_our_mac_in_the_kernel_neighbour_cache(string vip)
    {
        using var lab = NewLab();
        using var announcer = Start(lab);
        announcer.Announce(IPAddress.Parse(vip));

        // Nothing answers the echo (the IP is configured nowhere); resolving it is what we check.
        var entry = Eventually.Until(
            () =>
            {
                lab.InClient("ping", "-c", "1", "-W", "1", vip);
                return Neigh(lab, "c0", vip);
            },
            e => e.Contains("lladdr", StringComparison.Ordinal), TimeSpan.FromSeconds(15), $"kernel resolves {vip}");
        Assert.Contains($"lladdr {SpeakerMac}", entry, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Unicast_solicitation_of_a_kernel_reachability_probe_is_answered()
    {
        using var lab = NewLab();
        using var announcer = Start(lab);
        announcer.Announce(IPAddress.Parse("2001:db8::100"));
        // The multicast path works first, so a failure below is about the unicast probe alone.
        Assert.Equal(SpeakerMac, Ndisc6UntilAnswered(lab, "c0", "2001:db8::100"));
        // A STALE entry plus traffic makes the kernel probe with unicast NS straight away
        // (delay_first_probe_time 0). With mcast_resolicit 0 it never falls back to multicast,
        // so the entry only becomes REACHABLE if the unicast probe is answered (upstream issue 2920).
        lab.InClient("sysctl", "-q", "-w", "net.ipv6.neigh.c0.delay_first_probe_time=0");
        lab.IpClient("-6", "neigh", "replace", "2001:db8::100", "lladdr", SpeakerMac, "dev", "c0", "nud", "stale");
        var dump = Tcpdump.StartInClient(lab, "c0", "icmp6 and (ip6[40] == 135 or ip6[40] == 136)");

        var entry = Eventually.Until(
            () =>
            {
                lab.InClient("ping", "-6", "-c", "1", "-W", "1", "2001:db8::100");
                return Neigh(lab, "c0", "2001:db8::100");
            },
            e => e.Contains("REACHABLE", StringComparison.Ordinal) || e.Contains("FAILED", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "unicast probe settles");
        Eventually.Until(() => dump.Count("> 2001:db8::100: ICMP6, neighbor solicitation") > 0,
            TimeSpan.FromSeconds(15), "tcpdump prints the unicast probe");
        var lines = dump.Stop();
        var capture = string.Join('\n', lines);
        Assert.True(entry.Contains($"lladdr {SpeakerMac}", StringComparison.Ordinal), $"{entry}; tcpdump:\n{capture}");
        Assert.True(entry.Contains("REACHABLE", StringComparison.Ordinal), $"{entry}; tcpdump:\n{capture}");
        // What tcpdump saw: the probe went to the IP itself, not to its solicited-node group.
        Assert.Contains(lines, l => l.Contains("> 2001:db8::100: ICMP6, neighbor solicitation", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("> ff02::1:ff00:100: ICMP6, neighbor solicitation", StringComparison.Ordinal));
        Assert.True(announcer.Metrics.ResponsesSent >= 1);
    }

    private static Layer2Announcer Start(NetnsLab lab)
    {
        var announcer = new Layer2Announcer(new Layer2Options(), lab.SpeakerSockets);
        announcer.Start();
        return announcer;
    }
}
