using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// The owner of an L2 Service IP goes away: the next node in Core's election order takes over,
/// tells the LAN with gratuitous ARP and unsolicited NA, and the client's kernel follows without
/// sending anything itself.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class L2FailoverTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("kill -9")]
    [InlineData("SIGTERM")]
    public async Task When_the_owning_speaker_stops_the_next_node_takes_over_and_the_clients_neighbour_entry_follows(string how)
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        await s.ServiceAsync("web", "lan", dualStack: true);
        var ips = await s.IPsAsync("web", 2);
        string v4 = ips.Single(i => !i.Contains(':', StringComparison.Ordinal));
        string v6 = ips.Single(i => i.Contains(':', StringComparison.Ordinal));
        var order = s.ElectionOrder(ips[0]);
        var (owner, next) = (order[0], order[1]);

        await s.WaitAnsweredByAsync(v4, owner);
        await s.WaitAnsweredByAsync(v6, owner);
        // The client talks to the IP once, so its kernel holds a neighbour entry for each family.
        foreach (string ip in ips)
        {
            lab.Client.Resolve(ip);
            await Wait.ForAsync(() => lab.Client.Neighbour(ip), e => e?.Mac == owner.Mac, $"the client's neighbour entry for {ip} at {owner}", () => lab.Describe(20));
        }

        using var capture = lab.Client.Tcpdump("arp or icmp6");
        if (how == "kill -9")
            lab.KillSpeaker(owner);
        else
            lab.StopSpeaker(owner);

        // Without the client sending anything, its entries move to the next node...
        foreach (string ip in ips)
        {
            await Wait.ForAsync(() => lab.Client.Neighbour(ip), e => e?.Mac == next.Mac,
                $"the client's neighbour entry for {ip} to move to {next} after {how} of {owner.Name}'s speaker", () => lab.Describe(30));
        }
        // ...because the new owner announced itself: a gratuitous ARP (sender = target = the IP) and an unsolicited NA.
        var garp = capture.ArpClaims(v4).Where(c => c.Mac == next.Mac).ToList();
        var na = capture.NdpClaims(v6).Where(c => c.Mac == next.Mac).ToList();
        Assert.True(garp.Count > 0 && na.Count > 0, $"gratuitous ARP {garp.Count}, NA {na.Count}; capture:\n{string.Join('\n', capture.Lines)}");

        await s.WaitAnsweredByAsync(v4, next);
        await s.WaitAnsweredByAsync(v6, next);
        await Wait.ForAsync(() => s.L2StatusesAsync("web"), l => l.Count == 1 && l[0].Status?.Node == next.Name,
            $"ServiceL2Status names {next.Name}", () => lab.Describe(20));

        // The preferred node comes back and takes its IP back (upstream's election is stateless).
        lab.StartSpeaker(owner);
        await s.WaitAnsweredByAsync(v4, owner);
        await Wait.ForAsync(() => lab.Client.Neighbour(v4), e => e?.Mac == owner.Mac, $"the client's entry for {v4} back at {owner}", () => lab.Describe(20));
    }
}
