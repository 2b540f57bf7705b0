using System.Diagnostics;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Planning;

namespace MetalLb.Net.Benchmarks;

/// <summary>One measured scenario: the work it did, how long it took, and the memory it used.</summary>
internal sealed record Measurement(string Name, string Description, long Work, string Unit, double Milliseconds)
{
    public long PeakRssBytes { get; init; } = Process.GetCurrentProcess().PeakWorkingSet64;
    public long HeapBytes { get; init; } = GC.GetTotalMemory(forceFullCollection: true);

    public string ToLine() =>
        $"| {Name} | {Description} | {Work:N0} {Unit} | {Milliseconds:N0} | {Work / (Milliseconds / 1000):N0} | {PeakRssBytes / 1048576.0:N1} | {HeapBytes / 1048576.0:N1} |";
}

internal sealed record Scenario(string Name, string Description, Func<Measurement> Run);

internal static class Scenarios
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("alloc-16", "100,000 services into a /16 (65,536 fit; the rest pend)", () => Allocate("alloc-16", "192.0.0.0/16", 100_000, ipv6: false)),
        new("alloc-64", "100,000 services into a /64", () => Allocate("alloc-64", "2001:db8::/64", 100_000, ipv6: true)),
        new("mem-24", "250 services into a /24 (memory baseline)", () => Allocate("mem-24", "192.0.2.0/24", 250, ipv6: false)),
        new("mem-120", "250 services into an IPv6 /120 (256 addresses: the IPv6 baseline)", () => Allocate("mem-120", "2001:db8::/120", 250, ipv6: true)),
        new("mem-64", "250 services into a /64 (same work, pool 2^56 times larger)", () => Allocate("mem-64", "2001:db8::/64", 250, ipv6: true)),
        new("plan-l2-bgp", "plan 10,000 services over 100 nodes, L2 + BGP (2 peers)", () => Plan(10_000, 100)),
        new("node-pass", "one speaker's resync: 10,000 services decided for one of 100 nodes, L2 + BGP", () => NodeScenario.Pass(10_000, 100)),
    ];

    /// <summary>
    /// The same scenarios at a size that runs in about a second, for the test command: each
    /// checks what it claims (how many fit, a valid plan, a node pass that announces), so the
    /// harness keeps working between the runs that measure.
    /// </summary>
    public static IReadOnlyList<Scenario> Smoke { get; } =
    [
        new("alloc-24", "300 services into a /24 (256 fit)", () => Allocate("alloc-24", "192.0.2.0/24", 300, ipv6: false, expected: 256)),
        new("alloc-64", "300 services into a /64", () => Allocate("alloc-64", "2001:db8::/64", 300, ipv6: true, expected: 300)),
        new("plan-l2-bgp", "plan 200 services over 50 nodes, L2 + BGP (2 peers)", () => Plan(200, 50)),
        new("node-pass", "200 services decided for one of 50 nodes", () => NodeScenario.Pass(200, 50)),
    ];

    /// <summary>Each service converges once, as the controller does on a create event.</summary>
    private static Measurement Allocate(string name, string cidr, int count, bool ipv6, int? expected = null)
    {
        var services = Enumerable.Range(0, count).Select(i => Workload.Service($"s{i}", ipv6)).ToList();
        var allocator = new Allocator();
        allocator.SetPools([Workload.Pool("bench", cidr)]);
        var clock = Stopwatch.StartNew();
        int allocated = 0;
        foreach (var s in services)
            if (ServiceConverger.Converge(allocator, s).HasIPs) allocated++;
        clock.Stop();
        if (expected is { } e && allocated != e)
            throw new InvalidOperationException($"{name}: {allocated} allocated, expected {e}");
        var description = $"{count:N0} services into {cidr}; {allocated:N0} allocated";
        return new Measurement(name, description, count, "services", clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>The whole offline plan: config parse, allocation, L2 election and BGP routes.</summary>
    private static Measurement Plan(int services, int nodes)
    {
        var objects = Workload.Cluster(services, nodes);
        var clock = Stopwatch.StartNew();
        var plan = Planner.Plan(new PlanInput(objects));
        clock.Stop();
        if (!plan.Valid || plan.Services.Any(s => s.IPs.Count == 0 || s.L2.Count == 0 || s.Bgp.Count == 0))
            throw new InvalidOperationException("benchmark plan is not what it claims: " + string.Join("; ", plan.Errors));
        var routes = plan.Services.Sum(s => s.Bgp.Count);
        return new Measurement("plan-l2-bgp", $"plan {services:N0} services over {nodes} nodes, L2 + BGP; {routes:N0} BGP entries", services, "services", clock.Elapsed.TotalMilliseconds);
    }
}
