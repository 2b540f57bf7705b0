using System.Globalization;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.TestKit.ClusterLab;

namespace MetalLb.Net.Speaker.Bench;

/// <summary>
/// Failover trials in one lab (3 nodes, one memberlist profile): for each trial the owner of a
/// Service IP gets SIGKILL or SIGTERM, and the time is taken until the client's kernel reports
/// its neighbour entry at the next node in Core's election order. Then the speaker is started
/// again and the harness waits until the owner holds the IP again (the election is revertive)
/// before the next trial. Three Services with different IPs take turns.
/// </summary>
internal sealed class FailoverBench(ClusterLab lab, string profile)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly List<string> _ips = [];

    public async Task SetUpAsync()
    {
        await lab.Api.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = "lan", Namespace = ClusterLab.MetalLbNamespace },
            Spec = new IPAddressPoolSpec { Addresses = ["192.0.2.100-192.0.2.119"] },
        });
        await lab.Api.Resource<L2Advertisement>().CreateAsync(new L2Advertisement
        {
            Metadata = new ObjectMeta { Name = "lan", Namespace = ClusterLab.MetalLbNamespace },
        });
        for (int i = 0; i < 3; i++)
        {
            string name = $"web{i}";
            await lab.Api.Resource<Service>().CreateAsync(new Service
            {
                Metadata = new ObjectMeta { Name = name, Namespace = "default" },
                Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
            });
            await lab.Api.Resource<EndpointSlice>().CreateAsync(new EndpointSlice
            {
                Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { [EndpointSlice.ServiceNameLabel] = name } },
                AddressType = "IPv4",
                Endpoints = [.. lab.Nodes.Select((n, k) => new Endpoint { Addresses = [$"198.51.100.{k + 1}"], NodeName = n.Name, Conditions = new() { Ready = true } })],
            });
            _ips.Add(await UntilAsync(async () =>
            {
                var s = await lab.Api.Resource<Service>().GetAsync("default", name);
                return s.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.IP;
            }, ip => ip is not null, $"{name} gets an IP") ?? "");
        }
        foreach (string ip in _ips)
            await SettleAsync(ip, Order(ip)[0]);
    }

    public async Task<FailoverResult> RunAsync(bool graceful, int trials)
    {
        var times = new List<double>();
        int failed = 0;
        using var monitor = new NeighbourMonitor(lab.Client.Host, lab.Dir);
        for (int t = 0; t < trials; t++)
        {
            string ip = _ips[t % _ips.Count];
            var order = Order(ip);
            var (owner, next) = (order[0], order[1]);
            await SettleAsync(ip, owner);
            var took = monitor.TimeUntil(ip, next.Mac, () => owner.Speaker.SendSignal(graceful));
            if (await Task.WhenAny(took, Task.Delay(Deadline)) == took)
            {
                times.Add(took.Result.TotalMilliseconds);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {profile} {(graceful ? "SIGTERM" : "SIGKILL")} #{t + 1}: {ip} {owner.Name} -> {next.Name} in {took.Result.TotalMilliseconds:F0} ms"));
            }
            else
            {
                failed++;
                Console.Error.WriteLine($"  #{t + 1}: {ip} never moved to {next.Name} within {Deadline.TotalSeconds} s");
            }
            owner.Speaker.WaitForExit(TimeSpan.FromSeconds(30));
            owner.Speaker.Start();
        }
        return new FailoverResult(profile, graceful ? "SIGTERM" : "kill -9", times, failed);
    }

    /// <summary>
    /// Waits until <paramref name="owner"/> holds <paramref name="ip"/> alone: the client's entry
    /// points at it, and three ARP requests get only its answer.
    /// </summary>
    private async Task SettleAsync(string ip, LabNode owner)
    {
        if (lab.Client.Neighbour(ip) is null)
            lab.Client.Resolve(ip);
        await UntilAsync(() => Task.FromResult(lab.Client.Neighbour(ip)?.Mac), mac => mac == owner.Mac, $"the client's entry for {ip} at {owner.Name}",
            () => lab.Client.Resolve(ip));
        // Both answering would show as two MACs among the replies.
        await UntilAsync(() => Task.FromResult(lab.Client.Arping(ip, 3)), r => r.Count > 0 && r.All(m => m == owner.Mac),
            $"{owner.Name} alone answering for {ip}");
    }

    private List<LabNode> Order(string ip) =>
        [.. lab.Nodes.OrderBy(n => L2Planner.Hash(n.Name, ip), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))];

    private static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, Action? nudge = null)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var v = await probe();
            if (done(v))
                return v;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"timed out waiting for {what}");
            nudge?.Invoke();
            await Task.Delay(100);
        }
    }
}
