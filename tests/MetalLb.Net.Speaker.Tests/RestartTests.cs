using System.Collections.Concurrent;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>Rolling and full restarts of the speakers, as an upgrade does them.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class RestartTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Restarting_speakers_one_by_one_and_all_at_once_keeps_every_l2_owner_whose_node_did_not_restart()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions { Output = output.WriteLine });
        var s = new Scenario(lab);
        await s.PoolAsync("lan", Scenario.L2Addresses);
        await s.L2AdvertisementAsync("lan");
        // Enough Services that every node owns some.
        var owners = new Dictionary<string, LabNode>();
        for (int i = 0; i < 6; i++)
        {
            await s.ServiceAsync($"web{i}", "lan");
            string ip = (await s.IPsAsync($"web{i}"))[0];
            owners[ip] = s.ElectionOrder(ip)[0];
        }
        foreach (var (ip, owner) in owners)
            await s.WaitAnsweredByAsync(ip, owner);

        foreach (var restarted in lab.Nodes)
        {
            using var capture = lab.Client.Tcpdump("arp");
            lab.RestartSpeaker(restarted);
            await lab.WaitReadyAsync(restarted);
            foreach (var (ip, owner) in owners)
                await s.WaitAnsweredByAsync(ip, owner);
            // While it restarted, no other node's Service IP was claimed by anyone but its owner.
            foreach (var (ip, owner) in owners.Where(o => o.Value != restarted))
            {
                var claims = capture.ArpClaims(ip).Where(c => c.Mac != owner.Mac).ToList();
                Assert.True(claims.Count == 0, $"restart of {restarted.Name}: {ip} (owner {owner.Name}) claimed by {string.Join(", ", claims.Select(c => s.Describe(c.Mac)))}\n{string.Join('\n', claims.Select(c => c.Line))}");
            }
        }

        // All at once, as a DaemonSet delete and re-create: same owners in the end.
        foreach (var n in lab.Nodes)
            n.Speaker.SendSignal(graceful: true);
        foreach (var n in lab.Nodes)
            n.Speaker.WaitForExit(TimeSpan.FromSeconds(15));
        foreach (var n in lab.Nodes)
            lab.StartSpeaker(n);
        foreach (var n in lab.Nodes)
            await lab.WaitReadyAsync(n);
        foreach (var (ip, owner) in owners)
            await s.WaitAnsweredByAsync(ip, owner);
        var statuses = new List<ServiceL2Status>();
        for (int i = 0; i < 6; i++)
            statuses.AddRange(await Wait.ForAsync(() => s.L2StatusesAsync($"web{i}"), l => l.Count == 1, $"one ServiceL2Status for web{i}", () => lab.Describe(20)));
        Assert.Equal(owners.Values.Select(o => o.Name).Order(), statuses.Select(x => x.Status!.Node!).Order());
    }

    [SkippableFact]
    public async Task With_graceful_restart_frr_keeps_every_next_hop_while_the_speakers_restart()
    {
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions
        {
            Output = output.WriteLine, RouterOptions = new FrrRouterOptions { GracefulRestart = true },
        });
        var s = new Scenario(lab);
        var router = lab.Router!;
        await s.PoolAsync("wan", Scenario.BgpAddresses);
        await s.BgpPeerAsync("router", p => p.EnableGracefulRestart = true);
        await s.BgpAdvertisementAsync("wan");
        await s.ServiceAsync("api", "wan");
        string prefix = (await s.IPsAsync("api"))[0] + "/32";
        var all = lab.Nodes.Select(n => n.IPv4).Order(StringComparer.Ordinal).ToList();
        await Wait.ForAsync(() => router.KernelNextHops(prefix), h => h.SequenceEqual(all), $"{prefix} via every node", router.Describe);

        // Sample the router's kernel route all along.
        var samples = new ConcurrentQueue<(DateTime At, IReadOnlyList<string> Hops)>();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples.Enqueue((DateTime.UtcNow, router.KernelNextHops(prefix)));
                await Task.Delay(50);
            }
        });
        try
        {
            foreach (var n in lab.Nodes)
            {
                lab.RestartSpeaker(n);
                await lab.WaitReadyAsync(n);
                await Wait.ForAsync(router.EstablishedPeers, up => up.Contains(n.IPv4), $"{n.Name} back in session", router.Describe);
                await Wait.ForAsync(() => router.Paths(prefix), p => p.Count == 3 && p.All(x => !x.Stale), $"no stale path for {prefix}", router.Describe);
            }
            foreach (var n in lab.Nodes)
                n.Speaker.SendSignal(graceful: true);
            foreach (var n in lab.Nodes)
                n.Speaker.WaitForExit(TimeSpan.FromSeconds(15));
            foreach (var n in lab.Nodes)
                lab.StartSpeaker(n);
            foreach (var n in lab.Nodes)
                await lab.WaitReadyAsync(n);
            await Wait.ForAsync(router.EstablishedPeers, up => up.SetEquals(all), "every node back in session", router.Describe);
            await Wait.ForAsync(() => router.Paths(prefix), p => p.Count == 3 && p.All(x => !x.Stale), $"no stale path for {prefix}", router.Describe);
        }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }
        var gaps = samples.Where(x => !x.Hops.SequenceEqual(all)).ToList();
        Assert.True(gaps.Count == 0, $"{gaps.Count} of {samples.Count} samples lacked a next hop, first at {gaps.FirstOrDefault().At:HH:mm:ss.fff}: [{string.Join(", ", gaps.FirstOrDefault().Hops ?? [])}]");
    }
}
