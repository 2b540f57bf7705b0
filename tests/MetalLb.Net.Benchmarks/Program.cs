using System.Diagnostics;
using MetalLb.Net.Benchmarks;

// The Foundation benchmarks (docs/benchmarks.md). Without arguments every scenario runs in its
// own child process, so each peak-memory figure belongs to one scenario alone.
//   dotnet run -c Release --project tests/MetalLb.Net.Benchmarks
//   dotnet run -c Release --project tests/MetalLb.Net.Benchmarks -- alloc-64   (one scenario)
//   dotnet run -c Release --project tests/MetalLb.Net.Benchmarks -- smoke      (tiny sizes, checked; scripts/test.sh)
if (args is ["smoke"])
{
    foreach (var s in Scenarios.Smoke)
        Console.WriteLine(s.Run().ToLine());
    Console.WriteLine("smoke: ok");
    return 0;
}
if (args.Length == 1)
{
    var scenario = Scenarios.All.FirstOrDefault(s => s.Name == args[0]);
    if (scenario is null)
    {
        Console.Error.WriteLine($"unknown scenario {args[0]}; known: {string.Join(", ", Scenarios.All.Select(s => s.Name))}");
        return 2;
    }
    var result = scenario.Run();
    Console.WriteLine(result.ToLine());
    return 0;
}

Console.WriteLine($"# MetalLb.Net Foundation benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();
Console.WriteLine("| scenario | what | work | time (ms) | rate (/s) | peak RSS (MiB) | managed heap after (MiB) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var s in Scenarios.All)
{
    Console.Error.WriteLine($"running {s.Name}: {s.Description} ...");
    var self = Environment.ProcessPath!;
    var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Scenarios).Assembly.Location);
    psi.ArgumentList.Add(s.Name);
    using var child = Process.Start(psi)!;
    string line = child.StandardOutput.ReadToEnd().Trim();
    child.WaitForExit();
    Console.WriteLine(line);
}
return 0;
