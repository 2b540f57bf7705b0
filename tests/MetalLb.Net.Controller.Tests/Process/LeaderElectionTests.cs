using System.Diagnostics;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// Two replicas of the executable behind one Lease, as a Deployment with replicas: 2 runs them:
/// one leads and alone writes; killed with SIGKILL (no release), the other takes over once
/// the Lease runs out, and no address moves.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class LeaderElectionTests(ITestOutputHelper output)
{
    private const string Pool = "ha";

    [Fact]
    public async Task One_replica_leads_and_writes_and_after_a_kill_9_the_other_takes_over_without_moving_an_IP()
    {
        await using var lab = await ProcessLab.StartAsync(output);
        await lab.CreatePoolAsync(Pool, "192.0.2.0/28");
        var replicas = new Dictionary<string, ControllerProcess>(StringComparer.Ordinal)
        {
            ["a"] = lab.StartController("a", "--lease-duration", "4"),
            ["b"] = lab.StartController("b", "--lease-duration", "4"),
        };
        await Task.WhenAll(replicas.Values.Select(r => r.WaitReadyAsync()));
        string? leader = null;
        await Eventually.True(async () => (leader = await lab.LeaseHolderAsync()) is "a" or "b", "one replica holds the Lease");
        string standby = leader == "a" ? "b" : "a";
        output.WriteLine($"leader {leader}, standby {standby}");

        var before = await CreateAndWaitAsync(lab, "s1", "s2", "s3");
        // Only the leader wrote: it is the reporter of every event about the Services...
        await Eventually.True(async () => (await Task.WhenAll(before.Keys.Select(n => lab.EventsAsync(n))))
            .All(events => events.Any(e => e.Reason == "IPAllocated")), "an IPAllocated event for each Service");
        foreach (string name in before.Keys)
            Assert.All(await lab.EventsAsync(name), e => Assert.Equal((leader, leader), (e.ReportingInstance, e.Source?.Host)));
        // ...and only it reconciled: the standby has counted no update and published no pool.
        using (var http = replicas[standby].Http())
        {
            var idle = await Exposition.ScrapeAsync(http);
            Assert.True(idle["metallb_k8s_client_updates_total"] is null or 0, "standby updates_total\n" + idle.Text);
            Assert.Null(idle[$"metallb_allocator_addresses_in_use_total{{pool=\"{Pool}\"}}"]);
        }
        Assert.Equal(leader, await lab.LeaseHolderAsync());

        var sinceKill = Stopwatch.StartNew();
        replicas[leader!].Kill();
        await Eventually.True(async () => await lab.LeaseHolderAsync() == standby, $"{standby} takes the Lease", TimeSpan.FromSeconds(30));
        output.WriteLine($"takeover: {standby} held the Lease {sinceKill.Elapsed.TotalSeconds:F1} s after kill -9 of {leader} (lease duration 4 s)");

        var after = await CreateAndWaitAsync(lab, "s4", "s5");
        output.WriteLine($"new Services had IPs {sinceKill.Elapsed.TotalSeconds:F1} s after the kill");
        foreach (string name in after.Keys)
            await Eventually.True(async () => (await lab.EventsAsync(name)).Any(e => e.Reason == "IPAllocated" && e.ReportingInstance == standby),
                $"{standby} reports IPAllocated for {name}");
        // The new leader has reconciled all five Services; none of the old ones moved.
        using (var http = replicas[standby].Http())
            await Eventually.True(async () => (await Exposition.ScrapeAsync(http))[$"metallb_allocator_addresses_in_use_total{{pool=\"{Pool}\"}}"] == 5,
                $"{standby} counts 5 addresses in use");
        foreach (var (name, ips) in before)
            Assert.Equal(ips, ProcessLab.IPs(await lab.Services.GetAsync("default", name)));
        var all = before.Values.Concat(after.Values).SelectMany(ips => ips).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    private static async Task<Dictionary<string, IReadOnlyList<string>>> CreateAndWaitAsync(ProcessLab lab, params string[] names)
    {
        foreach (string name in names)
            await lab.CreateServiceAsync(name);
        var ips = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (string name in names)
            ips[name] = await lab.WaitForIPsAsync(name);
        return ips;
    }
}
