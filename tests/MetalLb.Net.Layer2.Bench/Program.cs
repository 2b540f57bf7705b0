using System.Globalization;
using System.Net;
using MetalLb.Net.Layer2;
using MetalLb.Net.Layer2.Bench;
using MetalLb.Net.Layer2.Sockets;

// Layer 2 responder benchmark (docs/benchmarks-layer2.md). Needs root, arping (Habets) and ip.
// Two namespaces joined by a veth; in the speaker namespace 192.0.2.1 is configured on s0, so the
// kernel answers it, and 192.0.2.100 is configured nowhere and answered by our responder on the
// same link. Both are measured in the same run, interleaved, so machine load hits both alike.
int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
int probes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
bool flood = !args.Contains("--latency-only");

using var lab = new BenchLab();
using var speakerSockets = new NamespaceSocketProvider(lab.Speaker);
using var clientSockets = new NamespaceSocketProvider(lab.Client);
using var announcer = new Layer2Announcer(new Layer2Options(), speakerSockets);
announcer.Start();
announcer.Announce(IPAddress.Parse(BenchLab.Vip));
while (announcer.AnnouncementsPending)
    Thread.Sleep(100); // let the takeover rounds finish so they do not share the link with probes

Console.WriteLine($"arping latency: {rounds} rounds x {probes} probes each, 10 ms apart, interleaved");
lab.Arping(BenchLab.KernelIp, 20); // warm-up: JIT, caches
lab.Arping(BenchLab.Vip, 20);
var kernel = new List<double>();
var ours = new List<double>();
for (int r = 0; r < rounds; r++)
{
    kernel.AddRange(lab.Arping(BenchLab.KernelIp, probes));
    ours.AddRange(lab.Arping(BenchLab.Vip, probes));
}
Report("kernel (IP on s0)", kernel, rounds * probes);
Report("MetalLb.Net responder", ours, rounds * probes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median ratio ours/kernel: {Stats.Percentile(ours, 50) / Stats.Percentile(kernel, 50):F2}x"));

if (!flood)
    return;
Console.WriteLine();
Console.WriteLine("sustained ARP request rate (2 s per step, replies counted in the client namespace)");
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
    $"responder counters: requests {announcer.Metrics.RequestsReceived}, responses {announcer.Metrics.ResponsesSent}, malformed {announcer.Metrics.MalformedDropped}"));

static void Report(string name, List<double> samples, int asked)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-24} replies {samples.Count}/{asked}  median {Stats.Percentile(samples, 50),8:F1} us  p99 {Stats.Percentile(samples, 99),8:F1} us  min {samples.DefaultIfEmpty().Min(),6:F1} us"));
}
