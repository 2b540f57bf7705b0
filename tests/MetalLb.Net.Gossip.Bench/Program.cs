// Failure-detection benchmark (issues 7 and 15): time from killing one member to every other
// member declaring it dead.
//
//   dotnet run -c Release --project tests/MetalLb.Net.Gossip.Bench [-- --runs 3 --sizes 3,10,50]
//       our members on real loopback sockets in this process, fast and LAN profiles, beside Go
//       hashicorp/memberlist's own figure for its LAN defaults in the same run (needs golang-go
//       and golang-github-hashicorp-memberlist-dev: scripts/install/gossip-go.sh)
//   ... -- --detail 200 [--profile fast|lan|auto] [--runs 3]
//       one process, with the failure detector's counters and the CPU it used
//   ... -- --sim 200,1000 [--profile fast] [--seed 1] [--loss 0]
//       the protocol alone: the Gossip tests' simulator (manual clock, in-memory network)
//   ... -- --procs 10 --per 20 [--profile fast]
//       one cluster over several processes of this program
//   ... -- smoke
//       scripts/test.sh: the simulator with 10 members and 3 members on real sockets, each
//       checked (converged, the victim declared dead by all, no false deaths); the Go
//       reference is left to the measuring runs (its build alone takes longer than the budget)
using System.Globalization;
using MetalLb.Net.Gossip.Bench;

if (args is ["smoke"])
{
    var sim = Simulation.Run(10, Profiles.For("fast", 10), 1, 0);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sim n=10: converged {sim.ConvergeMs:F0} ms, all-dead {sim.AllMs:F0} ms, false-deaths {sim.FalseDeaths}"));
    if (sim.AllMs >= 60_000 || sim.FalseDeaths > 0)
        throw new InvalidOperationException("the simulated victim was not declared dead by all, or someone else was");
    var real = await Detection.MeasureDetailedAsync(3, Profiles.For("fast", 3));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loopback n=3: converged={real.Converged}, all-dead {real.DetectMs:F0} ms, false-deaths {real.FalseDeaths}"));
    if (!real.Converged || real.DetectMs is null || real.FalseDeaths > 0)
        throw new InvalidOperationException("3 members on loopback did not converge, miss the victim's death, or saw a false one");
    Console.WriteLine("smoke: ok");
    return 0;
}

var runs = 3;
int[] sizes = [3, 10, 50];
var profile = "fast";
var seed = 1;
var loss = 0.0;
string? mode = null;
int[] modeSizes = [];
var per = 20;
for (var i = 0; i < args.Length - 1; i++)
{
    var value = args[i + 1];
    switch (args[i])
    {
        case "--runs": runs = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--sizes": sizes = ParseList(value); break;
        case "--profile": profile = value; break;
        case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--loss": loss = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--per": per = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--detail" or "--sim" or "--procs": mode = args[i]; modeSizes = ParseList(value); break;
        case "--child":
            return await Processes.ChildAsync(int.Parse(value, CultureInfo.InvariantCulture), Arg("--per"), Arg("--total"), ArgText("--profile"), ArgText("--seed"));
    }
}

switch (mode)
{
    case "--detail":
        foreach (var n in modeSizes)
        {
            for (var r = 0; r < runs; r++)
            {
                Console.WriteLine($"# load {Load()}");
                var d = await Detection.MeasureDetailedAsync(n, Profiles.For(profile, n));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"detail n={n} profile={profile} run={r + 1}: converged={d.Converged} in {d.ConvergeMs:F0} ms, all-dead={d.DetectMs:F0} ms, p99={d.P99Ms:F0} ms, false-deaths={d.FalseDeaths}, cpu={d.CpuPercent:F0}% of {Environment.ProcessorCount} cores"));
                Console.WriteLine($"  join:   {d.Join.Format()}");
                Console.WriteLine($"  detect: {d.Detect.Format()}");
            }
        }
        return 0;
    case "--sim":
        foreach (var n in modeSizes)
        {
            var s = Simulation.Run(n, Profiles.For(profile, n), seed, loss);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sim n={n} profile={profile} seed={seed} loss={loss}: converged at {s.ConvergeMs:F0} ms, p99-dead={s.P99Ms:F0} ms, all-dead={s.AllMs:F0} ms, false-deaths={s.FalseDeaths} (simulated time; {s.WallSeconds:F0} s wall; steady state costs {s.SteadyCores:F2} s of one core per simulated second)"));
            Console.WriteLine($"  join:   {s.Join.Format()}");
            Console.WriteLine($"  detect: {s.Detect.Format()}");
        }
        return 0;
    case "--procs":
        foreach (var p in modeSizes)
        {
            Console.WriteLine($"# load {Load()}");
            var r = await Processes.RunAsync(p, per, profile);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"procs={r.Processes} members={r.Members} profile={profile}: converged={r.Converged} in {r.ConvergeMs:F0} ms, p99-dead={r.P99Ms:F0} ms, all-dead={r.AllMs:F0} ms ({r.Detected} of {r.Members - 1} saw it), false-deaths={r.FalseDeaths}"));
            Console.WriteLine($"  join:   {r.Join.Format()}");
            Console.WriteLine($"  detect: {r.Detect.Format()}");
            Console.WriteLine($"# load {Load()}");
        }
        return 0;
}

var go = GoProgram.Build();
var rows = new List<string>();
Console.WriteLine($"# {runs} run(s) per cell, median ms from kill to the last survivor's verdict; {Environment.ProcessorCount} cores; load {Load()}");
foreach (var n in sizes)
{
    var fast = new List<double>();
    var lan = new List<double>();
    var goLan = new List<double>();
    for (var r = 0; r < runs; r++)
    {
        fast.Add(await Detection.MeasureAsync(n, fast: true));
        lan.Add(await Detection.MeasureAsync(n, fast: false));
        goLan.Add(GoProgram.Measure(go, n));
        Console.WriteLine($"n={n} run={r + 1}: fast={fast[^1]:F0} ms, lan={lan[^1]:F0} ms, go-lan={goLan[^1]:F0} ms");
    }
    var row = $"| {n} | {Median(fast):F0} | {Median(lan):F0} | {Median(goLan):F0} | {Median(goLan) / Median(fast):F1}x |";
    rows.Add(row);
}
Console.WriteLine();
Console.WriteLine("| members | MetalLb.Net fast (ms) | MetalLb.Net LAN (ms) | Go memberlist LAN (ms) | Go LAN / fast |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
foreach (var row in rows)
    Console.WriteLine(row);
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static int[] ParseList(string text) => [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

int Arg(string name) => int.Parse(ArgText(name), CultureInfo.InvariantCulture);

string ArgText(string name) => args[Array.IndexOf(args, name) + 1];
