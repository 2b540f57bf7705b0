using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>BGP mode as the router sees it: sessions, paths and the kernel route FRR installs.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class BgpTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Three_speakers_peer_with_frr_whose_kernel_route_has_three_next_hops_and_a_killed_speakers_next_hop_disappears()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        var router = lab.Router!;
        await s.PoolAsync("wan", Scenario.BgpAddresses);
        await s.BgpPeerAsync("router");
        await s.BgpAdvertisementAsync("wan");
        await s.ServiceAsync("api", "wan");
        string ip = (await s.IPsAsync("api"))[0];
        string prefix = ip + "/32";
        var all = lab.Nodes.Select(n => n.IPv4).Order(StringComparer.Ordinal).ToList();

        await Wait.ForAsync(router.EstablishedPeers, up => up.SetEquals(all), "FRR has a session with every node", router.Describe);
        await Wait.ForAsync(() => router.KernelNextHops(prefix), hops => hops.SequenceEqual(all),
            $"the router's kernel route {prefix} via all three nodes", router.Describe);
        var paths = router.Paths(prefix);
        Assert.Equal(all, paths.Select(p => p.NextHop).Order(StringComparer.Ordinal));
        Assert.True(paths.All(p => p.Multipath || p.Best), string.Join("\n", paths));
        // Each node reports the peer it announces to (ServiceBGPStatus, one per node).
        var statuses = await Wait.ForAsync(() => s.BgpStatusesAsync("api"), l => l.Count == 3,
            "a ServiceBGPStatus from each node", () => lab.Describe(20));
        Assert.Equal(lab.Nodes.Select(n => n.Name).Order(), statuses.Select(x => x.Status!.Node!).Order());
        Assert.All(statuses, x => Assert.Equal(["router"], x.Status!.Peers!));

        var victim = lab.Nodes[1];
        lab.KillSpeaker(victim);
        var rest = all.Where(a => a != victim.IPv4).ToList();
        await Wait.ForAsync(() => router.KernelNextHops(prefix), hops => hops.SequenceEqual(rest),
            $"{victim.Name}'s next hop gone from {prefix}", router.Describe);
    }
}
