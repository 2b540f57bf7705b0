using System.Diagnostics;
using System.Globalization;
using k8s;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;

namespace MetalLb.Net.Deps.Bench;

/// <summary>
/// A trivial list + watch client, written once with our MetalLb.Net.Kube and once with
/// KubernetesClient, each a process of its own: list 1,000 Services, watch, see 200 more created,
/// exit. Its peak RSS (VmHWM) and CPU are read from /proc at the end. "none" only starts the
/// runtime and exits: the floor both share.
/// </summary>
internal static class ClientFootprint
{
    private const string Ns = "bench";
    // The smoke run (Program.cs) sets DEPS_BENCH_SMALL, which the client children inherit.
    private static readonly bool Small = Environment.GetEnvironmentVariable("DEPS_BENCH_SMALL") == "1";
    private static readonly int Listed = Small ? 50 : 1_000, Watched = Small ? 10 : 200;

    public static async Task RunAsync(int rounds)
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "bench-token", HistoryLimit = 100_000 });
        string kubeconfig = Path.Combine(Path.GetTempPath(), $"deps-bench-{Environment.ProcessId}.kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        using var ours = new KubeClient(KubeConfigLoader.LoadFiles([kubeconfig]));
        await ours.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = Ns } });
        await CreateAsync(ours, 0, Listed);
        Console.WriteLine($"load before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| client | round | peak RSS (MiB) | RSS at end (MiB) | CPU (s) | wall (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        int next = Listed;
        try
        {
            for (int round = 1; round <= rounds; round++)
            {
                foreach (string kind in new[] { "none", "ours", "official" })
                {
                    var started = Stopwatch.GetTimestamp();
                    var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
                    foreach (string a in new[] { typeof(ClientFootprint).Assembly.Location, "client", kind, kubeconfig })
                        info.ArgumentList.Add(a);
                    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) != "dotnet")
                        info.ArgumentList.RemoveAt(0);   // the apphost: no assembly path
                    using var child = Process.Start(info)!;
                    string? line;
                    string result = "";
                    while ((line = await child.StandardOutput.ReadLineAsync()) is not null)
                    {
                        if (line == "watching")
                        {
                            await CreateAsync(ours, next, Watched);
                            next += Watched;
                        }
                        else if (line.StartsWith("result ", StringComparison.Ordinal))
                        {
                            result = line["result ".Length..];
                        }
                    }
                    await child.WaitForExitAsync();
                    if (child.ExitCode != 0 || result.Length == 0)
                        throw new InvalidOperationException($"the {kind} client exited {child.ExitCode} without a result");
                    double wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind} | {round} | {result} | {wall:F0} |"));
                }
            }
        }
        finally
        {
            File.Delete(kubeconfig);
        }
        Console.WriteLine();
        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static Task CreateAsync(KubeClient client, int from, int count) =>
        Parallel.ForAsync(from, from + count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.Resource<Service>().CreateAsync(new Service
            {
                Metadata = new ObjectMeta { Name = $"svc-{i:D5}", Namespace = Ns, Labels = new() { ["app"] = "x" } },
                Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
            }, ct));

    public static async Task<int> ChildAsync(string kind, string kubeconfig)
    {
        switch (kind)
        {
            case "ours":
                await OursAsync(kubeconfig);
                break;
            case "official":
                await OfficialAsync(kubeconfig);
                break;
        }
        // utime+stime are fields 14 and 15 of /proc/self/stat; USER_HZ 100.
        string stat = File.ReadAllText("/proc/self/stat");
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double cpu = (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"result {Status("VmHWM:"):F1} | {Status("VmRSS:"):F1} | {cpu:F2}"));
        return 0;
    }

    private static async Task OursAsync(string kubeconfig)
    {
        using var client = new KubeClient(KubeConfigLoader.LoadFiles([kubeconfig]));
        var services = client.Resource<Service>();
        var list = await services.ListAsync(Ns);
        int seen = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var options = new ListOptions { ResourceVersion = list.ResourceVersion };
        // Watching from the list's resourceVersion: whatever is created from now on is delivered,
        // however soon the parent creates it.
        Console.WriteLine("watching");
        await foreach (var e in services.WatchAsync(Ns, options, cts.Token))
        {
            if (e.Type == Kube.Watch.WatchEventType.Added && ++seen == Watched)
                break;
        }
        GC.KeepAlive(list);
    }

    private static async Task OfficialAsync(string kubeconfig)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var list = await client.CoreV1.ListNamespacedServiceAsync(Ns);
        int seen = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Console.WriteLine("watching");
        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedServiceAsync(Ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Added && ++seen == Watched)
                break;
        }
        GC.KeepAlive(list);
    }

    private static double Status(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        return double.NaN;
    }
}
