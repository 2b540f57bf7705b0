using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests;

/// <summary>
/// The promises that matter most under stress: restarts, churn and API failures never move an
/// address, never give one to two Services against the sharing rules, and every Service ends
/// up allocated. <see cref="AddressInvariants"/> checks every intermediate state the API shows.
/// </summary>
public sealed class RestartAndFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_restarts_while_200_services_churn_move_no_address_and_everything_converges()
    {
        await using var lab = await ControllerLab.StartAsync("team-a", "team-b");
        await lab.CreatePoolAsync("main", "198.51.100.0/24", "2001:db8:100::/120");
        await using var invariants = new AddressInvariants(lab.Emulator.Server);
        await invariants.ReadyAsync();
        var random = new Random(4242);
        var live = new List<(string Ns, string Name)>();
        int next = 0;

        async Task CreateAsync()
        {
            int n = next++;
            string ns = n % 2 == 0 ? "team-a" : "team-b", name = $"svc-{n}";
            await lab.CreateServiceAsync(name, ns, s =>
            {
                // Every fifth shares an address with the others of its group, on its own port.
                if (n % 5 == 0)
                {
                    s.Metadata.Annotations = new() { ["metallb.io/allow-shared-ip"] = $"group-{n % 3}" };
                    s.Spec.Ports = [new ServicePort { Port = 1000 + n, Protocol = "TCP" }];
                }
            });
            live.Add((ns, name));
        }

        for (int i = 0; i < 200; i++)
            await CreateAsync();
        var controller = lab.StartController();
        for (int round = 0; round < 10; round++)
        {
            // Churn while the controller is up: new Services, deletions, label edits.
            for (int i = 0; i < 10; i++)
                await CreateAsync();
            for (int i = 0; i < 5; i++)
            {
                int k = random.Next(live.Count);
                await lab.Services.DeleteAsync(live[k].Ns, live[k].Name);
                live.RemoveAt(k);
            }
            for (int i = 0; i < 5; i++)
            {
                var (ns, name) = live[random.Next(live.Count)];
                await lab.Services.PatchAsync(ns, name, PatchType.Merge, "{\"metadata\":{\"labels\":{\"round\":\"" + round + "\"}}}");
            }
            // Restart mid-churn: a new controller with a fresh allocator, rebuilt from statuses.
            await controller.StopAsync();
            for (int i = 0; i < 5; i++)
                await CreateAsync();
            controller = lab.StartController();
            await Task.Delay(random.Next(50, 400));
        }

        await Eventually.True(async () =>
        {
            var all = (await lab.Services.ListAsync()).Items.Where(s => s.Spec.Type == "LoadBalancer").ToList();
            return all.Count == live.Count && all.All(s => ControllerLab.IPs(s).Count > 0
                                                        && ControllerLab.OurCondition(s)?.Status == "True");
        }, $"all {live.Count} services allocated", TimeSpan.FromSeconds(90));
        await invariants.CaughtUpAsync(lab.Emulator.Server);
        output.WriteLine($"{live.Count} services; the witness saw {invariants.Changes} changes, {invariants.Relists} relists, {invariants.Reconnects} reconnects");
        Assert.True(invariants.Changes > live.Count, "the witness saw the run");
        Assert.Empty(invariants.Violations);
    }

    [Fact]
    public async Task Conflicts_server_errors_cut_watches_a_forced_relist_and_30_s_of_API_outage_lose_nothing()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("main", "198.51.100.0/25");
        await using var invariants = new AddressInvariants(lab.Emulator.Server);
        await invariants.ReadyAsync();
        var controller = lab.StartController();
        for (int i = 0; i < 20; i++)
            await lab.CreateServiceAsync($"early-{i}");
        await AllAllocatedAsync(lab, 20);

        // Writes answered 409 and 500, then watches cut, then a watch expired with compaction (410 → relist).
        // The compaction alone makes every cut watch resume into a 410; the expired watches are
        // taken by whoever watches next, the witness included, so they add to it, not replace it.
        lab.Emulator.Faults.FailNext(10, 409, method: "PATCH");
        lab.Emulator.Faults.FailNext(10, 500, method: "PATCH");
        for (int i = 0; i < 10; i++)
            await lab.CreateServiceAsync($"faulted-{i}");
        lab.Emulator.Faults.CutWatches();
        lab.Emulator.Server.Compact();
        lab.Emulator.Faults.ExpireNextWatches(4);
        for (int i = 0; i < 10; i++)
            await lab.CreateServiceAsync($"after-cut-{i}");
        await lab.Services.DeleteAsync("default", "early-0");
        await AllAllocatedAsync(lab, 39);

        // The API is unreachable for 30 s right after new Services arrive: the controller loses
        // its Lease, keeps its caches, and picks up where the API left it.
        for (int i = 0; i < 10; i++)
            await lab.CreateServiceAsync($"outage-{i}");
        lab.Emulator.Faults.Down = true;
        var down = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(30));
        lab.Emulator.Faults.Down = false;
        await AllAllocatedAsync(lab, 49, TimeSpan.FromSeconds(90));
        output.WriteLine($"converged {down.Elapsed.TotalSeconds:0.0} s after the outage began; write errors seen: {controller.Runtime.Metrics.WriteErrors}");
        Assert.True(controller.Runtime.Metrics.WriteErrors >= 20, "the injected 409s and 500s reached the controller");
        await invariants.CaughtUpAsync(lab.Emulator.Server);
        output.WriteLine($"the witness saw {invariants.Changes} changes, {invariants.Relists} relists, {invariants.Reconnects} reconnects");
        Assert.True(invariants.Changes >= 49, "the witness saw the run");
        Assert.Empty(invariants.Violations);
    }

    private static async Task AllAllocatedAsync(ControllerLab lab, int count, TimeSpan? deadline = null) =>
        await Eventually.True(async () =>
        {
            try
            {
                var all = (await lab.Services.ListAsync()).Items.Where(s => s.Spec.Type == "LoadBalancer").ToList();
                var ips = all.SelectMany(ControllerLab.IPs).ToList();
                return all.Count == count && all.All(s => ControllerLab.IPs(s).Count == 1) && ips.Distinct().Count() == ips.Count;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{count} services each with its own IP", deadline ?? TimeSpan.FromSeconds(30));
}
