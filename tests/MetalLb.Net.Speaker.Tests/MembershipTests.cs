using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>The speakers' gossip: encrypted with the controller's Secret, closed to a speaker holding another key.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class MembershipTests(ITestOutputHelper output)
{
    /// <summary>
    /// memberlist's messages carry member names (a ping names its target, an alive message its
    /// node). Read on the wire, they show unless the gossip is encrypted; the unencrypted case
    /// shows the check can tell the two apart.
    /// </summary>
    [SkippableTheory]
    [InlineData(MemberlistKeySource.Controller)]
    [InlineData(MemberlistKeySource.None)]
    public async Task Gossip_is_encrypted_with_the_controllers_secret_and_readable_without_it(MemberlistKeySource key)
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine, MemberlistKey = key });
        var node1 = lab.Nodes[0];
        using var capture = lab.Tcpdump(node1, "udp port 7946 or tcp port 7946", ascii: true);
        // Enough traffic to have seen pings to, and replies from, both other members.
        await Wait.ForAsync(() => capture.Matching(" > ").Count, n => n >= 30, "30 gossip packets on node1's link", () => lab.Describe(20));

        var names = capture.Lines.Where(l => l.Contains("node2", StringComparison.Ordinal) || l.Contains("node3", StringComparison.Ordinal)).ToList();
        if (key == MemberlistKeySource.Controller)
            Assert.True(names.Count == 0, $"member names in plaintext on the wire:\n{string.Join('\n', names.Take(10))}");
        else
            Assert.True(names.Count > 0, $"no member name seen in {capture.Lines.Count} lines of unencrypted gossip");
    }

    /// <summary>The gossip counters reach the speaker's /metrics: each speaker counts all three alive.</summary>
    [SkippableFact]
    public async Task The_speakers_metrics_show_gossip_members_and_probes()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        foreach (var node in lab.Nodes)
        {
            string Scrape() => LabShell.InNs(node.Namespace, "curl", "-sf", "http://127.0.0.1:7472/metrics").Stdout;
            string alive = await Wait.ForAsync(() => Sample(Scrape(), "metallb_gossip_members", $"member=\"{node.Name}\"", "state=\"alive\""),
                v => v == "3", $"{node.Name}'s metallb_gossip_members{{state=alive}} = 3", () => Scrape());
            Assert.Equal("3", alive);
            string probes = Sample(Scrape(), "metallb_gossip_probes_total", $"member=\"{node.Name}\"");
            Assert.True(long.TryParse(probes, out long n) && n > 0, $"{node.Name}: metallb_gossip_probes_total = '{probes}'");
        }
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain every one of <paramref name="labels"/>, or "".</summary>
    private static string Sample(string exposition, string metric, params string[] labels) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(x => l.Contains(x, StringComparison.Ordinal)))
            .Select(l => l[(l.LastIndexOf(' ') + 1)..].Trim())
            .FirstOrDefault() ?? "";

    [SkippableFact]
    public async Task A_speaker_with_a_wrong_key_is_not_counted_and_never_answers_for_an_ip()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine, StartSpeakers = false });
        var s = new Scenario(lab);
        var stranger = lab.Nodes[2];
        string wrongKey = Path.Combine(lab.Dir, "wrong-secretkey");
        await File.WriteAllTextAsync(wrongKey, "AAAAAAAAAAAAAAAAAAAAAA");   // 22 characters, as the controller's, but not its
        stranger.SecretKeyPath = wrongKey;
        foreach (var n in lab.Nodes)
            lab.StartSpeaker(n);
        foreach (var n in lab.Nodes)
            await lab.WaitReadyAsync(n);

        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        // An IP the stranger would win if the others counted it.
        string ip = s.AddressWon(stranger);
        await s.ServiceAsync("web", "lan", ip: ip);
        Assert.Equal([ip], await s.IPsAsync("web"));
        var owner = s.ElectionOrder(ip, lab.Nodes.Where(n => n != stranger))[0];

        using var capture = lab.Client.Tcpdump("arp");
        await s.WaitAnsweredByAsync(ip, owner);
        var replies = lab.Client.Arping(ip, count: 5);
        Assert.True(replies.Count > 0 && replies.All(m => m == owner.Mac), $"replies from {string.Join(", ", replies.Select(s.Describe))}");
        var fromStranger = capture.ArpClaims(ip).Where(c => c.Mac == stranger.Mac).Select(c => c.Line).ToList();
        Assert.True(fromStranger.Count == 0, $"{stranger.Name} spoke for {ip}:\n{string.Join('\n', fromStranger)}");
        var statuses = await s.L2StatusesAsync("web");
        Assert.Equal([owner.Name], statuses.Select(x => x.Status!.Node));
    }
}
