using System.Globalization;
using System.Net;
using MetalLb.Net.Layer2;
using MetalLb.Net.Layer2.Bench;
using MetalLb.Net.Layer2.Sockets;

// Layer 2 responder benchmark (docs/benchmarks-layer2.md). Needs root, arping (Habets) and ip.
// Two namespaces joined by a veth; in the speaker namespace 192.0.2.1 is configured on s0, so the
// kernel answers it, and 192.0.2.100 is configured nowhere and answered by our responder on the
// same link. Both are measured in the same run, interleaved, so machine load hits both alike.
// --modes single,per-cpu compares receive modes in one run: each round measures the kernel and
// each mode in turn (a fresh announcer per mode and round), so load changes hit every mode alike.
// `smoke` (scripts/test.sh): one round of 20 probes, no flood, and both the kernel and our
// responder must answer at least 18 of them.
bool smoke = args is ["smoke"];
if (smoke && Environment.UserName != "root")
{
    Console.Error.WriteLine("prerequisite missing: root (network namespaces, AF_PACKET)");
    return 3;
}
int rounds = smoke ? 1 : args.Length > 0 && !args[0].StartsWith('-') ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
int probes = smoke ? 20 : args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
bool flood = !smoke && !args.Contains("--latency-only");
int modesAt = Array.IndexOf(args, "--modes");
string[] modes = modesAt >= 0 && modesAt + 1 < args.Length ? args[modesAt + 1].Split(',') : ["single"];
if (modes.Except(["single", "per-cpu"]).Any())
    throw new ArgumentException("--modes takes single and/or per-cpu");

using var lab = new BenchLab();
using var speakerSockets = new NamespaceSocketProvider(lab.Speaker);
using var clientSockets = new NamespaceSocketProvider(lab.Client);

Console.WriteLine($"arping latency: {rounds} rounds x {probes} probes each, 10 ms apart, interleaved; loadavg {LoadAverage()}");
var kernel = modes.ToDictionary(m => m, _ => new List<double>());
var ours = modes.ToDictionary(m => m, _ => new List<double>());
var lanes = modes.ToDictionary(m => m, _ => new Dictionary<string, (long Frames, long OffCpu)>());
for (int r = 0; r < rounds; r++)
{
    foreach (var mode in modes)
    {
        using var announcer = StartAnnouncer(mode);
        lab.Arping(BenchLab.KernelIp, 20); // warm-up: JIT, caches, the new threads
        lab.Arping(BenchLab.Vip, 20);
        kernel[mode].AddRange(lab.Arping(BenchLab.KernelIp, probes));
        ours[mode].AddRange(lab.Arping(BenchLab.Vip, probes));
        foreach (var lane in announcer.ReceiveLanes.Where(l => l.Protocol == "arp"))
        {
            var key = lane.Cpu?.ToString(CultureInfo.InvariantCulture) ?? "any";
            var (frames, off) = lanes[mode].GetValueOrDefault(key);
            lanes[mode][key] = (frames + lane.Frames, off + lane.OffCpu);
        }
    }
}
foreach (var mode in modes)
{
    Console.WriteLine($"-- receive mode {mode}");
    Report("kernel (IP on s0)", kernel[mode], rounds * probes);
    Report("MetalLb.Net responder", ours[mode], rounds * probes);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"median ratio ours/kernel: {Stats.Percentile(ours[mode], 50) / Stats.Percentile(kernel[mode], 50):F2}x"));
    // Every ARP request on the link reaches exactly one lane: the kernel's probes too.
    Console.WriteLine("ARP frames read per lane (cpu: frames, read off its cpu): "
        + string.Join("; ", lanes[mode].Select(p => $"{p.Key}: {p.Value.Frames}, {p.Value.OffCpu}")));
}
Console.WriteLine($"loadavg after: {LoadAverage()}");

if (smoke)
{
    bool answered = modes.All(m => kernel[m].Count >= probes * 9 / 10 && ours[m].Count >= probes * 9 / 10);
    Console.WriteLine(answered ? "smoke: ok" : "smoke: FAILED: fewer than 90% of the probes were answered");
    return answered ? 0 : 1;
}
if (!flood)
    return 0;
using var flooded = StartAnnouncer(modes[0]);
Console.WriteLine();
Console.WriteLine($"sustained ARP request rate (2 s per step, replies counted in the client namespace), receive mode {modes[0]}");
Console.WriteLine("target              offered/s   sent    replies  loss");
var flooder = new ArpFlood(lab, clientSockets);
foreach (int rate in (int[])[5_000, 10_000, 20_000, 40_000, 80_000, 160_000])
{
    foreach (var (name, ip) in (ReadOnlySpan<(string, string)>)[("kernel", BenchLab.KernelIp), ("ours", BenchLab.Vip)])
    {
        var (sent, replies) = flooder.Run(ip, rate, TimeSpan.FromSeconds(2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-18} {rate,10} {sent,8} {replies,8}  {100.0 * (sent - replies) / Math.Max(1, sent),5:F2}%"));
    }
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"responder counters: requests {flooded.Metrics.RequestsReceived}, responses {flooded.Metrics.ResponsesSent}, malformed {flooded.Metrics.MalformedDropped}"));
return 0;

Layer2Announcer StartAnnouncer(string mode)
{
    var announcer = new Layer2Announcer(new Layer2Options { PerCpuReceiveMaxCpus = mode == "per-cpu" ? int.MaxValue : 0 }, speakerSockets);
    announcer.Start();
    announcer.Announce(IPAddress.Parse(BenchLab.Vip));
    while (announcer.AnnouncementsPending)
        Thread.Sleep(100); // let the takeover rounds finish so they do not share the link with probes
    return announcer;
}

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

static void Report(string name, List<double> samples, int asked)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-24} replies {samples.Count}/{asked}  median {Stats.Percentile(samples, 50),8:F1} us  p99 {Stats.Percentile(samples, 99),8:F1} us  min {samples.DefaultIfEmpty().Min(),6:F1} us"));
}
