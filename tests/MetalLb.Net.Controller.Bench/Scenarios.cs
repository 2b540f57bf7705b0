using System.Diagnostics;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Events;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Bench;

/// <summary>
/// One round: a fresh emulator where N (1,000 by default) Services are created while the controller runs,
/// then (controller stopped) the harness's own baseline writes on the same emulator; then a
/// second fresh emulator where the controller starts with the N Services already there.
/// </summary>
internal static class Scenarios
{
    public const string Bench = "bench";
    private const int CreateWriters = 8;   // the controller's WriteConcurrency, and the Kube bench's fill
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("BENCH_TIMEOUT") is { } t ? double.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : 180);

    public static async Task<RoundResult> RoundAsync(int round, int count, string dir)
    {
        DateTime at = DateTime.UtcNow;
        string loadBefore = ProcStats.LoadAverage();
        var requests = new RequestCounter();
        RunningResult running;
        var baselines = new List<BaselineResult>();
        await using (var lab = await StartLabAsync(requests, count))
        {
            running = await RunningAsync(lab, requests, count, dir);
            Console.Error.WriteLine("  baselines ...");
            // Serial first: the floor for one write's round trip. Then as many in flight as the controller allows.
            baselines.Add(await BaselineAsync(lab.Client, "status x1", count, 1, annotation: false));
            baselines.Add(await BaselineAsync(lab.Client, "status x8", count, CreateWriters, annotation: false));
            baselines.Add(await BaselineAsync(lab.Client, "status+annotation x8", count, CreateWriters, annotation: true));
            // Everything the controller sends per Service: the two patches and the IPAllocated event.
            baselines.Add(await BaselineAsync(lab.Client, "status+annotation+event x8", count, CreateWriters, annotation: true, evented: true));
        }
        Console.Error.WriteLine("  cold start ...");
        ColdResult cold;
        await using (var lab = await StartLabAsync(null, count))
            cold = await ColdAsync(lab, count, dir);
        return new RoundResult(round, at, loadBefore, ProcStats.LoadAverage(), running, baselines, cold);
    }

    private static async Task<EmulatorLab> StartLabAsync(RequestCounter? requests, int count)
    {
        // History long enough that no watch resume in the run can meet a 410 (about 10 events per Service in a round).
        var lab = await EmulatorLab.StartAsync(new EmulatorOptions { HistoryLimit = Math.Max(100_000, count * 12), RequestLog = requests is null ? null : requests.OnRequest },
            true, BenchObjects.MetalLbNamespace, Bench);
        await lab.Client.Resource<IPAddressPool>().CreateAsync(BenchObjects.NewPool(count));
        return lab;
    }

    private static async Task<RunningResult> RunningAsync(EmulatorLab lab, RequestCounter requests, int count, string dir)
    {
        var services = lab.Client.Resource<Service>();
        using var controller = ControllerProcess.Start(lab.WriteKubeconfig(dir));
        await controller.WaitAsync(controller.ConfigLoaded, Timeout, "configuration loaded");
        // Let the first pool status and ConfigurationState writes land: they are start-up, not this work.
        await requests.SettleAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        if (Warmup > 0)
            await WarmUpAsync(lab.Client, controller, requests);
        if (Environment.GetEnvironmentVariable("BENCH_PAUSE") is { Length: > 0 } pause)
        {
            // Time to attach a profiler (dotnet-trace collect -p) before the timed work.
            Console.Error.WriteLine($"  controller pid {controller.Pid}; waiting {pause} s");
            await Task.Delay(TimeSpan.FromSeconds(double.Parse(pause, System.Globalization.CultureInfo.InvariantCulture)));
        }
        double cpuStartup = controller.CpuSeconds();
        var before = requests.Snapshot();
        await using var watch = new AllocationWatch(services, Bench, count);
        await watch.StartAsync();

        Console.Error.WriteLine($"  {count:N0} created while running ...");
        TimeSpan harnessCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        requests.StartTimeline();
        long t0 = Stopwatch.GetTimestamp();
        await CreateAsync(services, Bench, count);
        double creates = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        long allocated;
        try
        {
            allocated = await controller.WaitAsync(watch.AllAllocated, Timeout, "every Service allocated", () => watch.Progress);
        }
        catch (InvalidOperationException)
        {
            await Console.Error.WriteLineAsync(await DescribeAsync(services, Bench));
            throw;
        }
        double cpuAllocated = controller.CpuSeconds();
        TimeSpan harnessCpu = Process.GetCurrentProcess().TotalProcessorTime - harnessCpu0;
        long annotated = await controller.WaitAsync(watch.AllAnnotated, Timeout, "every Service annotated", () => watch.Progress);
        // Events and the pool status follow the Service writes; the CPU they cost is the controller's too.
        await requests.SettleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        double cpuSettled = controller.CpuSeconds();
        double rss = controller.PeakRssMiB();
        var counted = requests.Since(before);
        // Nothing left to do: whatever CPU it uses now is background work (lease renewals,
        // tiered JIT, GC), which the "until settled" figure would otherwise hide.
        long idleFrom = Stopwatch.GetTimestamp();
        await Task.Delay(IdleWindow);
        double idleCpuPerSecond = (controller.CpuSeconds() - cpuSettled) / Stopwatch.GetElapsedTime(idleFrom).TotalSeconds;
        var timeline = requests.Timeline(t0);
        string verified = await VerifyAsync(services, Bench, count);
        return new RunningResult(creates, Ms(t0, allocated), Ms(t0, annotated), cpuStartup, cpuAllocated - cpuStartup,
            cpuSettled - cpuStartup, idleCpuPerSecond, rss, harnessCpu.TotalSeconds, counted, timeline, controller.Warnings, verified);
    }

    /// <summary>
    /// BENCH_WARMUP=N: N Services allocated before the timed 1,000, so the controller's create,
    /// reconcile, write and event paths are compiled (tiered JIT) before timing starts. 0 by
    /// default: the main figure includes that first-time cost. At most 24 (the /22 holds 1,024).
    /// </summary>
    private static readonly int Warmup = Math.Min(24, int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP") ?? "0", System.Globalization.CultureInfo.InvariantCulture));

    private static async Task WarmUpAsync(KubeClient client, ControllerProcess controller, RequestCounter requests)
    {
        await client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "warmup" } });
        var services = client.Resource<Service>();
        await using var watch = new AllocationWatch(services, "warmup", Warmup);
        await watch.StartAsync();
        await CreateAsync(services, "warmup", Warmup);
        await controller.WaitAsync(watch.AllAnnotated, Timeout, "warm-up Services annotated", () => watch.Progress);
        await requests.SettleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    /// <summary>The harness writes what the controller would, to Services nobody else writes to.</summary>
    private static async Task<BaselineResult> BaselineAsync(KubeClient client, string what, int count, int inFlight, bool annotation, bool evented = false)
    {
        // The controller's own recorder class, so the event body is the one it posts.
        using var recorder = new EventRecorder(new KubeEventSink(client.Resource<Event>()), "metallb-controller", "bench");
        string ns = "base-" + what.Replace('+', '-').Replace(' ', '-');
        await client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } });
        var services = client.Resource<Service>();
        long c0 = Stopwatch.GetTimestamp();
        await CreateAsync(services, ns, count);
        double creates = Stopwatch.GetElapsedTime(c0).TotalMilliseconds;
        await using var watch = new AllocationWatch(services, ns, count);
        await watch.StartAsync();
        string annotationPatch = BenchObjects.AnnotationPatch();

        TimeSpan harnessCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long t0 = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, ct) =>
        {
            string name = BenchObjects.Name(i);
            await services.PatchAsync(ns, name, PatchType.StrategicMerge, BenchObjects.StatusPatch(BenchObjects.IPv4(i), DateTimeOffset.UtcNow),
                subresource: "status", ct: ct);
            // Status first, then the annotation, one after the other, as ServiceWriter.ApplyAsync does.
            Service landed = annotation ? await services.PatchAsync(ns, name, PatchType.Merge, annotationPatch, ct: ct) : null!;
            if (evented)
                await recorder.RecordAsync(landed, EventRecorder.Normal, "IPAllocated", $"Assigned IP [{BenchObjects.IPv4(i)}]", ct);
        });
        double writes = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        long seen = await watch.AllAllocated.WaitAsync(Timeout);
        TimeSpan harnessCpu = Process.GetCurrentProcess().TotalProcessorTime - harnessCpu0;
        return new BaselineResult(what, creates, writes, Ms(t0, seen), harnessCpu.TotalSeconds);
    }

    private static async Task<ColdResult> ColdAsync(EmulatorLab lab, int count, string dir)
    {
        var services = lab.Client.Resource<Service>();
        await CreateAsync(services, Bench, count);
        await using var watch = new AllocationWatch(services, Bench, count);
        await watch.StartAsync();
        using var controller = ControllerProcess.Start(lab.WriteKubeconfig(dir));
        long synced = await controller.WaitAsync(controller.Synced, Timeout, "caches synced");
        long allocated = await controller.WaitAsync(watch.AllAllocated, Timeout, "every Service allocated", () => watch.Progress);
        double cpuAllocated = controller.CpuSeconds();
        long annotated = await controller.WaitAsync(watch.AllAnnotated, Timeout, "every Service annotated", () => watch.Progress);
        await Task.Delay(TimeSpan.FromSeconds(2));   // events and pool status; no request log in this emulator
        double cpuSettled = controller.CpuSeconds();
        double rss = controller.PeakRssMiB();
        string verified = await VerifyAsync(services, Bench, count);
        return new ColdResult(Ms(controller.Started, synced), Ms(controller.Started, allocated), Ms(controller.Started, annotated),
            cpuAllocated, cpuSettled, rss, verified);
    }

    /// <summary>What the API holds, when the watch did not see the end: is the controller or the watch behind?</summary>
    private static async Task<string> DescribeAsync(ResourceClient<Service> services, string ns)
    {
        var all = (await services.ListAsync(ns)).Items;
        var pending = all.Where(s => BenchObjects.IPs(s).Count == 0).ToList();
        string first = pending.Count == 0 ? "" : System.Text.Json.JsonSerializer.Serialize(pending[0].Status?.Conditions?.Select(c => $"{c.Type} {c.Status} {c.Reason} {c.Message}"))
            + " " + pending[0].Metadata.Name + " rv " + pending[0].Metadata.ResourceVersion;
        return $"the API holds {all.Count} services, {pending.Count} without ingress; first pending: {first}";
    }

    private static Task CreateAsync(ResourceClient<Service> services, string ns, int count) =>
        Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = CreateWriters }, async (i, ct) =>
            await services.CreateAsync(BenchObjects.NewService(ns, i), ct));

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>Every Service holds exactly one IPv4 address of the pool, no two the same, with the pool annotation and a True condition.</summary>
    private static async Task<string> VerifyAsync(ResourceClient<Service> services, string ns, int count)
    {
        var all = (await services.ListAsync(ns)).Items;
        var ips = all.Select(BenchObjects.IPs).ToList();
        var problems = new List<string>();
        if (all.Count != count)
            problems.Add($"{all.Count} services, expected {count}");
        if (ips.Any(i => i.Count != 1))
            problems.Add($"{ips.Count(i => i.Count != 1)} services without exactly one IP");
        var distinct = ips.SelectMany(i => i).ToHashSet(StringComparer.Ordinal);
        if (distinct.Count != ips.Sum(i => i.Count))
            problems.Add($"{ips.Sum(i => i.Count) - distinct.Count} duplicate IPs");
        string pool = BenchObjects.Addresses(count)[0];
        if (distinct.Any(ip => !InPool(ip, count)))
            problems.Add($"an IP outside {pool}");
        int annotated = all.Count(s => s.Metadata.Annotations?.GetValueOrDefault("metallb.io/ip-allocated-from-pool") == BenchObjects.Pool);
        if (annotated != count)
            problems.Add($"{count - annotated} services without the pool annotation");
        int allocatedCondition = all.Count(s => s.Status?.Conditions?.Any(c => c is { Type: "metallb.io/IPAllocated", Status: "True", Reason: "Allocated" }) == true);
        if (allocatedCondition != count)
            problems.Add($"{count - allocatedCondition} services without a True IPAllocated condition");
        if (problems.Count > 0)
            throw new InvalidOperationException("verification failed: " + string.Join("; ", problems));
        return $"{count} services, {distinct.Count} distinct IPs in {pool}, all annotated, all conditions True";
    }

    private static bool InPool(string ip, int count)
    {
        byte[] b = System.Net.IPAddress.Parse(ip).GetAddressBytes();
        if (b.Length != 4)
            return false;
        long offset = (long)((uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3]) - (198L << 24 | 51L << 16 | 100L << 8);
        return offset >= 0 && offset < BenchObjects.PoolSize(count);
    }
}
