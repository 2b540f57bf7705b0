using System.Globalization;
using MetalLb.Net.Speaker.Bench;
using MetalLb.Net.TestKit.ClusterLab;

// Speaker failover (issue 15, docs/benchmarks-speaker.md): in TestKit's cluster lab (3 nodes,
// real controller and speakers), N trials each of kill -9 and SIGTERM of the owning speaker, timed
// until the client's kernel reports its neighbour entry at the new owner (`ip monitor neigh`),
// with the fast memberlist profile and with --ml-profile lan.
//   dotnet run -c Release --project tests/MetalLb.Net.Speaker.Bench -- [trials] [profiles: fast,lan]
// and the speaker's memory idle and with 1,000 Services (FootprintBench):
//   dotnet run -c Release --project tests/MetalLb.Net.Speaker.Bench -- footprint [services]
// and the time until FRR drops a frozen node's routes, with BFD 300 ms x 3 and without (BfdWithdrawBench):
//   dotnet run -c Release --project tests/MetalLb.Net.Speaker.Bench -- bfd [trials]
if (args is ["bfd", ..])
    return await BfdWithdrawBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
if (args is ["footprint", ..])
    return await FootprintBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);

// `smoke` (scripts/test.sh): two nodes, one trial of each signal with the fast profile; a trial
// that times out fails the run, as it does at full size.
bool smoke = args is ["smoke"];
if (smoke && Environment.UserName != "root")
{
    Console.Error.WriteLine("prerequisite missing: root (the cluster lab's network namespaces)");
    return 3;
}
int trials = smoke ? 1 : args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
string[] profiles = smoke ? ["fast"] : args.Length > 1 ? args[1].Split(',') : ["fast", "lan"];

string loadBefore = FailoverResult.LoadAverage();
var results = new List<FailoverResult>();
foreach (string profile in profiles)
{
    Console.Error.WriteLine($"profile {profile}: starting the lab (load {FailoverResult.LoadAverage()})");
    await using var lab = await ClusterLab.StartAsync(new ClusterLabOptions
    {
        SpeakerArgs = ["--ml-profile", profile],
        Nodes = smoke ? 2 : 3,   // a failover needs an owner and one other node
        Router = false,
        Output = line => { if (line.StartsWith("lab ", StringComparison.Ordinal)) Console.Error.WriteLine(line); },
    });
    var bench = new FailoverBench(lab, profile);
    await bench.SetUpAsync();
    foreach (bool graceful in (bool[])[false, true])
    {
        results.Add(await bench.RunAsync(graceful, trials));
        Console.Error.WriteLine(results[^1].Row());
    }
}

Console.WriteLine($"load average before: {loadBefore}, after: {FailoverResult.LoadAverage()}; {Environment.ProcessorCount} CPUs");
Console.WriteLine();
Console.WriteLine("| profile | signal | trials | median ms | p99 ms | min ms | max ms | timed out |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var r in results)
    Console.WriteLine(r.Row());
bool failed = results.Any(r => r.Failed > 0);
if (smoke)
    Console.WriteLine(failed ? "smoke: FAILED: a failover trial timed out" : "smoke: ok");
return failed ? 1 : 0;
