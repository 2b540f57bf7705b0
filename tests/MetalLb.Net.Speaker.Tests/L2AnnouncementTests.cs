using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>Layer 2 mode as a client on the LAN sees it: who answers ARP and NDP for a Service IP.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class L2AnnouncementTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Arping_and_ndisc6_get_the_mac_of_the_node_core_elects_and_ServiceL2Status_names_it()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        await s.ServiceAsync("web", "lan", dualStack: true);
        var ips = await s.IPsAsync("web", 2);
        string v4 = ips.Single(i => !i.Contains(':', StringComparison.Ordinal));
        string v6 = ips.Single(i => i.Contains(':', StringComparison.Ordinal));
        // The winner of the first ingress IP announces both families (docs/upstream-speaker.md §4.2).
        var winner = s.ElectionOrder(ips[0])[0];

        await s.WaitAnsweredByAsync(v4, winner);
        await s.WaitAnsweredByAsync(v6, winner);
        // Exactly one node answers: three requests, three replies, all from the winner.
        var replies = lab.Client.Arping(v4, count: 3);
        Assert.True(replies.Count > 0 && replies.All(m => m == winner.Mac), $"arping replies: {string.Join(", ", replies.Select(s.Describe))}");

        var statuses = await Wait.ForAsync(() => s.L2StatusesAsync("web"), l => l.Count == 1 && l[0].Status?.Node == winner.Name,
            $"one ServiceL2Status naming {winner.Name}", () => lab.Describe(30));
        var status = statuses[0];
        Assert.Equal(("web", Scenario.AppNs), (status.Status!.ServiceName, status.Status.ServiceNamespace));
        Assert.Equal(winner.Name, status.Metadata.Labels?.GetValueOrDefault("metallb.io/node"));
        Assert.Null(status.Status.Interfaces);   // every interface announces
    }
}
