// Failure-detection benchmark (issue 7): time from killing one member to every other member
// declaring it dead, for 3, 10 and 50 members on real loopback sockets, with our LAN and fast
// profiles, beside Go hashicorp/memberlist's own figure for its LAN defaults in the same run.
//
//   dotnet run -c Release --project tests/MetalLb.Net.Gossip.Bench [-- --runs 3 --sizes 3,10,50]
//
// Needs golang-go and golang-github-hashicorp-memberlist-dev (scripts/install/gossip-go.sh).
using System.Globalization;
using MetalLb.Net.Gossip.Bench;

var runs = 3;
int[] sizes = [3, 10, 50];
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--runs")
        runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    if (args[i] == "--sizes")
        sizes = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}

var go = GoProgram.Build();
var rows = new List<string>();
Console.WriteLine($"# {runs} run(s) per cell, median ms from kill to the last survivor's verdict; {Environment.ProcessorCount} cores");
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

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
