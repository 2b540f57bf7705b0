using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MetalLb.Net.Lab;
using MetalLb.Net.Lab.Bench;

// Issue 12's failover table (docs/benchmarks.md, "lab failover"; docs/lab.md, Failover): two
// 3-node labs in this process (speakers with --ml-profile fast and lan) and keepalived VRRPv3
// (advert_int 0.1 s and 1 s) on the fast lab's nodes; rounds of one trial per cell (scenario x
// variant, alternating), each from a settled system, then a markdown table.
//   sudo dotnet tests/MetalLb.Net.Lab.Bench/bin/Release/net10.0/MetalLb.Net.Lab.Bench.dll [trials] [--minutes M] [--others-every N] [--out FILE]
// trials: 100 by default; --minutes: start no new round after M minutes (the table says how many ran).
// --others-every N: the comparison variants (ours lan, keepalived) run in every Nth round only
// (1, 1+N, ...), so the cells with targets (ours, fast profile) get more trials in the same run;
// a full 100-round run with every variant takes about two hours even on a quiet machine.
// `smoke` (scripts/test.sh): one round; fails unless every cell failed over from a settled start.
bool smoke = args is ["smoke", ..];
int trials = smoke ? 1 : args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int t) ? t : 100;
double minutes = Option("--minutes") is { } m ? double.Parse(m, CultureInfo.InvariantCulture) : double.PositiveInfinity;
string? outFile = Option("--out");
int othersEvery = Option("--others-every") is { } every ? int.Parse(every, CultureInfo.InvariantCulture) : 1;
if (othersEvery < 1)
    return Usage("--others-every must be 1 or more");

if (!Environment.IsPrivilegedProcess)
    return Missing("root (the lab's network namespaces)");
if (KeepalivedGroup.Binary is null)
    return Missing(KeepalivedGroup.Missing);

using var cancel = new CancellationTokenSource();
void OnSignal(PosixSignalContext ctx)
{
    ctx.Cancel = true;   // stop the trials; the labs then remove everything they made
    cancel.Cancel();
}
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
var ct = cancel.Token;
var clock = Stopwatch.StartNew();
void Log(string line) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0}s] {line}"));

// Test-unique lab names (so namespaces, folders and addresses never meet another run's).
string suffix = (Environment.ProcessId % 0x10000).ToString("x", CultureInfo.InvariantCulture);
string loadBefore = Stats.LoadAverages();
Log($"load average {loadBefore}; starting labs lbf{suffix} (--ml-profile fast) and lbl{suffix} (--ml-profile lan)");
BenchLab? fast = null, lan = null;
var groups = new List<KeepalivedGroup>();
var results = new List<Trial>();
int rounds = 0;
try
{
    var starting = new[] { BenchLab.StartAsync("lbf" + suffix, "fast", Log, ct), BenchLab.StartAsync("lbl" + suffix, "lan", Log, ct) };
    try
    {
        await Task.WhenAll(starting);
    }
    finally
    {
        fast = starting[0].IsCompletedSuccessfully ? starting[0].Result : null;
        lan = starting[1].IsCompletedSuccessfully ? starting[1].Result : null;
    }
    // VRIDs 51 and 52 on VIPs beside MetalLB's pool (192.0.2.200-219): the same LAN, nodes and backends.
    foreach (var router in (KeepalivedRouter[])[new(51, "192.0.2.240", TimeSpan.FromMilliseconds(100)), new(52, "192.0.2.241", TimeSpan.FromSeconds(1))])
    {
        var g = new KeepalivedGroup(fast!.State, router);
        groups.Add(g);
        g.Start();
    }
    var bench = new FailoverBench(fast!, lan!, [.. groups], Log);
    Log($"labs up in {clock.Elapsed.TotalSeconds:0} s; waiting for everything to settle");
    if (await bench.SettleAllAsync(ct) is { } why)
        throw new InvalidOperationException("the labs did not settle: " + why);
    for (int i = 1; i <= trials && clock.Elapsed.TotalMinutes < minutes; i++)
    {
        foreach (var scenario in FailoverBench.Scenarios)
        {
            foreach (string variant in bench.Variants(scenario))
            {
                if (variant != FailoverBench.Measured && (i - 1) % othersEvery != 0)
                    continue;
                Log($"round {i}: {scenario.Name}, {variant}");
                var trial = await bench.RunAsync(scenario, variant, i, ct);
                results.Add(trial);
                Log(string.Create(CultureInfo.InvariantCulture,
                    $"  -> outage {trial.OutageMs:0} ms, {trial.Failed} failed, {trial.Owner} -> {trial.NewOwner ?? "nobody"} answering after {(trial.SwitchMs is { } s ? s.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-")}{(trial.Settled ? "" : " (start not settled)")}, load {trial.Load:0.0}"));
            }
        }
        rounds = i;
    }
}
catch (PrerequisiteMissingException e)
{
    return Missing(e.Message);
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Log("interrupted: the table has the rounds that finished");
}
finally
{
    foreach (var g in groups)
        g.Dispose();
    foreach (var lab in (BenchLab?[])[fast, lan])
    {
        if (lab is not null)
            await lab.DisposeAsync();
    }
}

string table = Report.Markdown(results, rounds, loadBefore, Stats.LoadAverages(), clock.Elapsed, FailoverBench.Scenarios);
Console.WriteLine(table);
if (outFile is not null)
    await File.WriteAllTextAsync(outFile, table, CancellationToken.None);
if (smoke)
{
    var bad = results.Where(r => r.SwitchMs is null || !r.Settled).Select(r => $"{r.Scenario} / {r.Variant}").ToList();
    int cells = FailoverBench.Scenarios.Sum(s => s.Bgp ? 2 : 2 + groups.Count);
    if (results.Count != cells)
        bad.Add($"{results.Count} trials of {cells} cells");
    Console.WriteLine(bad.Count == 0 ? "smoke: ok" : "smoke: FAILED: " + string.Join("; ", bad));
    return bad.Count == 0 ? 0 : 1;
}
return rounds > 0 ? 0 : 1;

string? Option(string name) => Array.IndexOf(args, name) is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

static int Usage(string what)
{
    Console.Error.WriteLine(what);
    return 2;
}

static int Missing(string what)
{
    Console.Error.WriteLine($"prerequisite missing: {what}");
    return 3;
}
