using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MetalLb.Net.Bgp.Bench;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;

// Announce N IPv4 /32s to a receiving BIRD from our speaker and from a BIRD static protocol,
// in the same run, and time until the receiver holds all of them, then until it holds none.
// Usage (root): dotnet run -c Release --project tests/MetalLb.Net.Bgp.Bench -- [count] [rounds]
// Prefixes come from 198.18.0.0/15, the range RFC 2544 sets aside for benchmarking; the
// sessions use documentation addresses, all inside namespaces this program creates.
// `-- bfd [trials]` runs the BFD detection-time benchmark instead (BfdDetectionBench.cs).
if (args.Length > 0 && args[0] == "bfd" && OperatingSystem.IsLinux())
{
    await BfdDetectionBench.RunAsync(args[1..]);
    return 0;
}
// `smoke` (scripts/test.sh): 200 prefixes, one round; every wait is for BIRD's route count to
// reach exactly what was sent, so a round that completes has checked itself.
var smoke = args is ["smoke"];
if (smoke && (Environment.UserName != "root" || Shell.Run("sh", "-c \"command -v bird && command -v birdc\"", check: false).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 2))
{
    Console.Error.WriteLine("prerequisite missing: root, bird and birdc");
    return 3;
}
var count = smoke ? 200 : args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var rounds = smoke ? 1 : args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
if (count > 131_072)
    throw new ArgumentOutOfRangeException(nameof(args), "198.18.0.0/15 holds 131,072 addresses");

var prefix = $"bb{Environment.ProcessId % 10000:x}";
var dir = Directory.CreateTempSubdirectory(prefix).FullName;
using var cleanup = new TempDir(dir);
using var shell = new Shell();
var us = shell.Namespace(prefix + "us");
var src = shell.Namespace(prefix + "src");
var recv = shell.Namespace(prefix + "rcv");
Shell.Link(us, "192.0.2.1", recv, "192.0.2.2", prefix + "ua", prefix + "ub");
Shell.Link(src, "198.51.100.1", recv, "198.51.100.2", prefix + "sa", prefix + "sb");

var prefixes = Enumerable.Range(0, count).Select(i => new NlriPrefix(Afi.IPv4, 0xC6120000u + (uint)i, 32)).ToList();
File.WriteAllText(Path.Combine(dir, "recv.conf"), """
    router id 192.0.2.2;
    protocol device {}
    protocol bgp from_ours { local 192.0.2.2 as 65001; neighbor 192.0.2.1 as 65000; passive on; ipv4 { import all; export none; }; }
    protocol bgp from_bird { local 198.51.100.2 as 65001; neighbor 198.51.100.1 as 65002; passive on; ipv4 { import all; export none; }; }
    """);
WriteSourceConfig(Path.Combine(dir, "src.conf"), prefixes);
string Birdc(string which, string command) => Shell.Run("birdc", $"-s {Path.Combine(dir, which + ".ctl")} {command}", check: false);
shell.Daemon(recv, $"bird -f -c {dir}/recv.conf -s {dir}/recv.ctl -P {dir}/recv.pid");
shell.Daemon(src, $"bird -f -c {dir}/src.conf -s {dir}/src.ctl -P {dir}/src.pid");

var sockets = new NetnsSockets(us);
await using var speaker = new BgpSpeaker(new BgpSpeakerOptions { SocketFactory = sockets.Create }, TimeProvider.System);
await speaker.SetPeerAsync("recv", new BgpPeerOptions
{
    PeerAddress = IPAddress.Parse("192.0.2.2"), PeerAs = 65001, LocalAs = 65000, RouterId = IPAddress.Parse("192.0.2.1"),
    Families = [Afi.IPv4], ConnectRetryMin = TimeSpan.FromMilliseconds(200),
});
try
{
    await Until(() => Birdc("recv", "show protocols").Split('\n').Count(l => l.Contains("Established", StringComparison.Ordinal)) == 2, "both sessions up", TimeSpan.FromSeconds(30));
}
catch (TimeoutException)
{
    Console.WriteLine(Birdc("recv", "show protocols all"));
    Console.WriteLine(Birdc("src", "show protocols all"));
    Console.WriteLine(speaker.GetPeer("recv"));
    throw;
}

int Held(string protocol)
{
    var text = Birdc("recv", $"show route protocol {protocol} count");
    var line = text.Split('\n').FirstOrDefault(l => l.Contains("of", StringComparison.Ordinal) && l.Contains("routes", StringComparison.Ordinal));
    return line is null ? 0 : int.Parse(line.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}

async Task<double> Time(Action start, string protocol, int expected)
{
    var sw = Stopwatch.StartNew();
    start();
    await Until(() => Held(protocol) == expected, $"{protocol} to hold {expected}");
    return sw.Elapsed.TotalMilliseconds;
}

static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
{
    var deadline = Stopwatch.StartNew();
    while (!condition())
    {
        if (deadline.Elapsed > (timeout ?? TimeSpan.FromMinutes(5)))
            throw new TimeoutException(what);
        await Task.Delay(10);
    }
}

// Memory: the idle process (sessions up, nothing announced, after a full collection) is the
// baseline; from here the peak resident set counts everything the announcements cost,
// including the caller's own route table handed to SetAdvertisements.
var idleManaged = ProcessMemory.LiveManagedBytes();
var idleRss = ProcessMemory.ResidentBytes;
ProcessMemory.ResetPeak();
// The caller builds its table as the speaker's BgpSink does: a RouteSet, handed over as is.
var builder = new RouteSet.Builder(count);
foreach (var p in prefixes)
    builder.Add(p, AdvertisedAttributes.Empty);
var desired = builder.ToRouteSet();
var empty = RouteSet.Empty;
var results = new List<(double OursUp, double OursDown, double BirdUp, double BirdDown)>();
long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
for (var r = 0; r < rounds; r++)
{
    var oursUp = await Time(() => speaker.SetAdvertisements("recv", desired), "from_ours", count);
    var oursDown = await Time(() => speaker.SetAdvertisements("recv", empty), "from_ours", 0);
    var birdUp = await Time(() => Birdc("src", "enable bench_static"), "from_bird", count);
    var birdDown = await Time(() => Birdc("src", "disable bench_static"), "from_bird", 0);
    results.Add((oursUp, oursDown, birdUp, birdDown));
    Console.WriteLine(FormattableString.Invariant($"round {r + 1}: ours {oursUp:F0} / {oursDown:F0} ms, BIRD {birdUp:F0} / {birdDown:F0} ms (announce / withdraw)"));
}
var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
var peakRss = ProcessMemory.PeakResidentBytes;
var status = speaker.GetPeer("recv")!;
var bytesSent = speaker.GetBytesSent("recv");
var birdBytes = Shell.Run("ip", $"netns exec {src} ss -tin state established", check: false);

// Where the bytes go: live managed bytes over the idle baseline, after full collections.
var inputLive = ProcessMemory.LiveManagedBytes() - idleManaged;
speaker.SetAdvertisements("recv", desired);
await Until(() => Held("from_ours") == count, "from_ours to hold all again");
var announcedLive = ProcessMemory.LiveManagedBytes() - idleManaged;
speaker.SetAdvertisements("recv", empty);
await Until(() => Held("from_ours") == 0, "from_ours to hold none again");
var withdrawnLive = ProcessMemory.LiveManagedBytes() - idleManaged;
static double Median(IEnumerable<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }

Console.WriteLine();
Console.WriteLine($"| {count:N0} IPv4 /32 to BIRD 2.0.12 (median of {rounds}) | ours | BIRD static -> BGP | ratio (ours / BIRD) |");
Console.WriteLine("| --- | --- | --- | --- |");
var (ou, od, bu, bd) = (Median(results.Select(x => x.OursUp)), Median(results.Select(x => x.OursDown)), Median(results.Select(x => x.BirdUp)), Median(results.Select(x => x.BirdDown)));
Console.WriteLine(FormattableString.Invariant($"| announce: until the receiver holds all | {ou:F0} ms | {bu:F0} ms | {ou / bu:F2} |"));
Console.WriteLine(FormattableString.Invariant($"| withdraw: until the receiver holds none | {od:F0} ms | {bd:F0} ms | {od / bd:F2} |"));
Console.WriteLine(FormattableString.Invariant($"| UPDATE messages sent over {rounds} rounds (announce + withdraw) | {status.UpdatesSent:N0} | n/a | |"));
Console.WriteLine(FormattableString.Invariant($"| bytes sent over {rounds} rounds (ours: counted; BIRD: ss bytes_sent) | {bytesSent:N0} | {BytesSent(birdBytes)} | |"));
Console.WriteLine(FormattableString.Invariant($"| our process: peak working set / managed bytes allocated in the rounds | {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB / {allocated / 1048576.0:F0} MiB | | |"));
Console.WriteLine(FormattableString.Invariant($"| our process: idle RSS / peak RSS in the rounds / (peak - idle) per prefix | {idleRss / 1048576.0:F1} MiB / {peakRss / 1048576.0:F1} MiB / {(peakRss - idleRss) / (double)count:F0} B | | |"));
Console.WriteLine(FormattableString.Invariant($"| live managed bytes per prefix over idle: caller's table / + announced / after withdraw | {inputLive / (double)count:F0} B / {announcedLive / (double)count:F0} B / {withdrawnLive / (double)count:F0} B | | |"));
Console.WriteLine(FormattableString.Invariant($"| GC: server {System.Runtime.GCSettings.IsServerGC}, latency mode {System.Runtime.GCSettings.LatencyMode}, collections gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} | | | |"));

if (smoke)
    Console.WriteLine("smoke: ok");
return 0;

static string BytesSent(string ss)
{
    var token = ss.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => t.StartsWith("bytes_sent:", StringComparison.Ordinal));
    return token is null ? "n/a" : long.Parse(token["bytes_sent:".Length..], CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture);
}

static void WriteSourceConfig(string path, List<NlriPrefix> prefixes)
{
    var statics = new StringBuilder();
    foreach (var p in prefixes)
        statics.Append(CultureInfo.InvariantCulture, $"  route {p} blackhole;\n");
    File.WriteAllText(path, $$"""
        router id 198.51.100.1;
        protocol device {}
        protocol static bench_static { disabled; ipv4 { import all; };
        {{statics}}}
        protocol bgp recv { local 198.51.100.1 as 65002; neighbor 198.51.100.2 as 65001; ipv4 { import none; export all; }; }
        """);
}

internal sealed class TempDir(string path) : IDisposable
{
    public void Dispose() => Directory.Delete(path, recursive: true);
}
