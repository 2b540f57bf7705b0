using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.TestKit.ClusterLab;

namespace MetalLb.Net.Speaker.Bench;

/// <summary>
/// Route withdrawal on a hung node (issue 13): in the cluster lab (2 nodes, FRR router), a
/// Service announced over BGP by both nodes; each trial freezes one node's speaker (SIGSTOP:
/// its kernel still ACKs TCP, as a hung node's would, so only BFD or the hold timer can tell)
/// and times until FRR's `show bgp` no longer has that node's path, then thaws it and waits for
/// the path to come back. With a BGPPeer bfdProfile of 300 ms x 3 against FRR bfdd with the same
/// timers, and without BFD (hold time 9 s, FRR's `timers 3 9`), in separate labs.
/// </summary>
internal static class BfdWithdrawBench
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(int trials)
    {
        string loadBefore = FailoverResult.LoadAverage();
        var results = new List<FailoverResult>();
        foreach (bool bfd in (bool[])[true, false])
        {
            Console.Error.WriteLine($"{(bfd ? "BFD 300 ms x 3" : "no BFD")}: starting the lab (load {FailoverResult.LoadAverage()})");
            await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions
            {
                Nodes = 2,
                RouterOptions = new FrrRouterOptions { BfdInterval = bfd ? TimeSpan.FromMilliseconds(300) : null },
                Output = line => { if (line.StartsWith("lab ", StringComparison.Ordinal)) Console.Error.WriteLine(line); },
            });
            string prefix = await SetUpAsync(lab, bfd);
            var result = await TrialsAsync(lab, prefix, bfd ? "BGPPeer bfdProfile 300 ms x 3" : "no BFD (hold time 9 s)", bfd ? trials : Math.Max(3, trials / 3));
            results.Add(result.Lower!);
            results.Add(result);
            Console.Error.WriteLine(results[^2].Row());
            Console.Error.WriteLine(results[^1].Row());
        }
        Console.WriteLine($"load average before: {loadBefore}, after: {FailoverResult.LoadAverage()}; {Environment.ProcessorCount} CPUs");
        Console.WriteLine();
        Console.WriteLine("| configuration | timed | trials | median ms | p99 ms | min ms | max ms | timed out |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            Console.WriteLine(r.Row());
        return results.Any(r => r.Failed > 0) ? 1 : 0;
    }

    private static async Task<string> SetUpAsync(ClusterLab lab, bool bfd)
    {
        const string Ns = ClusterLab.MetalLbNamespace;
        var router = lab.Router!;
        await lab.Api.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = "wan", Namespace = Ns },
            Spec = new IPAddressPoolSpec { Addresses = ["203.0.113.0/24"] },
        });
        if (bfd)
            await lab.Api.Resource<BFDProfile>().CreateAsync(new BFDProfile
            {
                Metadata = new ObjectMeta { Name = "fast", Namespace = Ns },
                Spec = new BFDProfileSpec { ReceiveInterval = 300, TransmitInterval = 300, DetectMultiplier = 3 },
            });
        await lab.Api.Resource<BGPPeer>().CreateAsync(new BGPPeer
        {
            Metadata = new ObjectMeta { Name = "router", Namespace = Ns },
            Spec = new BGPPeerSpec
            {
                MyASN = router.Options.NodeAsn, PeerASN = router.Options.Asn, PeerAddress = router.Host.IPv4, HoldTime = "9s",
                BFDProfile = bfd ? "fast" : null,
            },
        });
        await lab.Api.Resource<BGPAdvertisement>().CreateAsync(new BGPAdvertisement { Metadata = new ObjectMeta { Name = "wan", Namespace = Ns } });
        await lab.Api.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "api", Namespace = "default" },
            Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
        });
        await lab.Api.Resource<EndpointSlice>().CreateAsync(new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = "api", Namespace = "default", Labels = new() { [EndpointSlice.ServiceNameLabel] = "api" } },
            AddressType = "IPv4",
            Endpoints = [.. lab.Nodes.Select((n, k) => new Endpoint { Addresses = [$"198.51.100.{k + 1}"], NodeName = n.Name, Conditions = new() { Ready = true } })],
        });
        string? ip = null;
        await UntilAsync(async () =>
        {
            var s = await lab.Api.Resource<Service>().GetAsync("default", "api");
            ip = s.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.IP;
            return ip is not null;
        }, "api gets an IP");
        string prefix = ip + "/32";
        await UntilAsync(() => Task.FromResult(NextHops(router, prefix).Count == lab.Nodes.Count), $"{prefix} from every node");
        return prefix;
    }

    private static async Task<FailoverResult> TrialsAsync(ClusterLab lab, string prefix, string name, int trials)
    {
        var router = lab.Router!;
        var times = new List<double>();
        var pollStarts = new List<double>();
        int failed = 0;
        for (int t = 0; t < trials; t++)
        {
            var victim = lab.Nodes[t % lab.Nodes.Count];
            // A random phase against the BFD and keepalive timers (this is not a synchronisation).
            await Task.Delay(TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(300)));
            var watch = Stopwatch.StartNew();
            Signal(victim, SigStop);
            try
            {
                // The path left between the start of the poll that no longer saw it and its end:
                // both are kept, as vtysh itself takes a while on a loaded machine.
                double pollStart;
                do
                {
                    pollStart = watch.Elapsed.TotalMilliseconds;
                    if (watch.Elapsed > Deadline)
                        throw new TimeoutException($"{victim.Name}'s path still in FRR");
                }
                while (NextHops(router, prefix).Contains(victim.IPv4));
                times.Add(watch.Elapsed.TotalMilliseconds);
                pollStarts.Add(pollStart);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  trial {t + 1}: {victim.Name} {pollStart:F0}-{times[^1]:F0} ms"));
            }
            catch (TimeoutException e)
            {
                failed++;
                Console.Error.WriteLine($"  trial {t + 1}: {e.Message}\n{router.Describe()}");
            }
            finally
            {
                Signal(victim, SigCont);
            }
            await UntilAsync(() => Task.FromResult(NextHops(router, prefix).Count == lab.Nodes.Count), $"{victim.Name}'s path back");
        }
        return new FailoverResult(name, "SIGSTOP, until the poll that saw it gone ended", times, failed)
        {
            Lower = new FailoverResult(name, "SIGSTOP, until that poll started", pollStarts, failed),
        };
    }

    private static List<string> NextHops(FrrRouter router, string prefix) => [.. router.Paths(prefix).Select(p => p.NextHop)];

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Deadline)
                throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    private const int SigCont = 18;
    private const int SigStop = 19;

    private static void Signal(LabNode node, int signal)
    {
        if (Kill(node.Speaker.Pid, signal) != 0)
            throw new InvalidOperationException($"kill {node.Speaker.Pid} {signal}: errno {Marshal.GetLastPInvokeError()}");
    }

    // DllImport: two ints need no marshalling code, and this project does not allow unsafe code.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
