using System.Diagnostics;
using System.Globalization;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit.ClusterLab;

namespace MetalLb.Net.Speaker.Bench;

/// <summary>
/// The speaker's memory (issue 15, docs/benchmarks-speaker.md): one node in the cluster lab with
/// the real controller and FRR. RSS idle (caches synced, one Service), then N Services announced
/// by Layer 2 (NDP for IPv6 addresses, one solicited-node group each) and BGP (FRR receives all N
/// prefixes), and the peak (VmHWM). Also the time from the N Services' creation until FRR holds
/// every prefix, which includes the controller's allocation.
///   dotnet run -c Release --project tests/MetalLb.Net.Speaker.Bench -- footprint [services]
/// </summary>
internal static class FootprintBench
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(int services)
    {
        string loadBefore = FailoverResult.LoadAverage();
        await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions
        {
            Nodes = 1,
            Output = line => { if (line.StartsWith("lab ", StringComparison.Ordinal)) Console.Error.WriteLine(line); },
        });
        var node = lab.Nodes[0];
        var router = lab.Router!;
        string ns = ClusterLab.MetalLbNamespace;
        await lab.Api.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = "many", Namespace = ns },
            Spec = new IPAddressPoolSpec { Addresses = ["2001:db8:1::/112"] },
        });
        await lab.Api.Resource<L2Advertisement>().CreateAsync(new L2Advertisement { Metadata = new ObjectMeta { Name = "many", Namespace = ns } });
        await lab.Api.Resource<BGPAdvertisement>().CreateAsync(new BGPAdvertisement { Metadata = new ObjectMeta { Name = "many", Namespace = ns } });
        await lab.Api.Resource<BGPPeer>().CreateAsync(new BGPPeer
        {
            Metadata = new ObjectMeta { Name = "router", Namespace = ns },
            Spec = new BGPPeerSpec
            {
                MyASN = router.Options.NodeAsn,
                PeerASN = router.Options.Asn,
                PeerAddress = router.Host.IPv4,
                DualStackAddressFamily = true,
            },
        });
        await CreateServiceAsync(lab.Api, "idle", node.Name);
        await UntilAsync(() => Prefixes(router) >= 1, "FRR holds the first Service's prefix");
        await Task.Delay(TimeSpan.FromSeconds(5));   // let the first pass's garbage go
        long idleRss = Status(node.Speaker.Pid, "VmRSS:"), idleHwm = Status(node.Speaker.Pid, "VmHWM:");
        Console.Error.WriteLine($"idle: RSS {idleRss / 1024.0:F1} MiB, peak {idleHwm / 1024.0:F1} MiB");

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, services), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => await CreateServiceAsync(lab.Api, $"s{i}", node.Name));
        double created = clock.Elapsed.TotalSeconds;
        await UntilAsync(() => Prefixes(router) >= services + 1, $"FRR holds all {services + 1} prefixes");
        double announced = clock.Elapsed.TotalSeconds;
        long loadedRss = Status(node.Speaker.Pid, "VmRSS:");
        await Task.Delay(TimeSpan.FromSeconds(5));
        long settledRss = Status(node.Speaker.Pid, "VmRSS:"), peak = Status(node.Speaker.Pid, "VmHWM:");

        Console.WriteLine($"load average before: {loadBefore}, after: {FailoverResult.LoadAverage()}; {Environment.ProcessorCount} CPUs");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| speaker RSS idle (caches synced, 1 Service) | {idleRss / 1024.0:F1} MiB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| speaker RSS with {services + 1} Services by L2 (NDP) and BGP | {settledRss / 1024.0:F1} MiB (at the last prefix {loadedRss / 1024.0:F1}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| speaker peak RSS (VmHWM) | {peak / 1024.0:F1} MiB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {services} Services created -> all in FRR (controller + speaker) | {announced:F1} s (creates {created:F1} s) |"));
        return 0;
    }

    private static async Task CreateServiceAsync(KubeClient api, string name, string nodeName)
    {
        await api.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            // IPv6: the documentation ranges hold only 768 IPv4 addresses.
            Spec = new ServiceSpec
            {
                Type = "LoadBalancer",
                IPFamilies = ["IPv6"],
                IPFamilyPolicy = "SingleStack",
                Ports = [new ServicePort { Port = 80, Protocol = "TCP" }],
            },
        });
        await api.Resource<EndpointSlice>().CreateAsync(new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { [EndpointSlice.ServiceNameLabel] = name } },
            AddressType = "IPv4",
            Endpoints = [new Endpoint { Addresses = ["198.51.100.1"], NodeName = nodeName, Conditions = new() { Ready = true } }],
        });
    }

    /// <summary>IPv6 prefixes FRR has received (`show bgp ipv6 unicast summary json`).</summary>
    private static int Prefixes(FrrRouter router)
    {
        using var doc = router.VtyshJson("show bgp ipv6 unicast summary json");
        if (doc is null || !doc.RootElement.TryGetProperty("peers", out var peers))
            return 0;
        int total = 0;
        foreach (var peer in peers.EnumerateObject())
            if (peer.Value.TryGetProperty("pfxRcd", out var count))
                total += count.GetInt32();
        return total;
    }

    private static long Status(int pid, string field)
    {
        foreach (string line in File.ReadAllLines($"/proc/{pid}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"{field} not in /proc/{pid}/status");
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > Deadline)
                throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
