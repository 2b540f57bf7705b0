using System.Globalization;
using MetalLb.Net.Controller.Bench;

// Controller benchmark (issue 4, docs/benchmarks-controller.md): N LoadBalancer Services created
// while the real metallb-net-controller runs as a child process, timed until the harness's watch
// sees every one allocated, beside the same status writes made by the harness alone on the same
// emulator; then a cold start with the N Services already there. Fresh emulators every round.
//   dotnet run -c Release --project tests/MetalLb.Net.Controller.Bench -- [rounds] [services] [output.md]
// `smoke` is one round of 20 Services (scripts/test.sh): every wait and the verification of what
// the API holds run as in a measuring round, so a broken harness fails there.
bool smoke = args is ["smoke"];
int rounds = smoke ? 1 : args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
int services = smoke ? 20 : args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
string? output = !smoke && args.Length > 2 ? args[2] : null;
if (!File.Exists(ControllerProcess.Binary))
{
    Console.Error.WriteLine($"{ControllerProcess.Binary} not found: build src/MetalLb.Net.Controller in this configuration first");
    return 2;
}

string dir = Directory.CreateTempSubdirectory("controller-bench-").FullName;
var results = new List<RoundResult>();
try
{
    for (int round = 1; round <= rounds; round++)
    {
        Console.Error.WriteLine($"round {round}/{rounds} (load {ProcStats.LoadAverage()})");
        results.Add(await Scenarios.RoundAsync(round, services, dir));
        var last = results[^1];
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated {last.Running.AllocatedMs:F0} ms, status x8 seen {last.Baseline("status x8").SeenMs:F0} ms, cold {last.Cold.AllocatedMs:F0} ms"));
        GC.Collect();
    }
}
finally
{
    Directory.Delete(dir, recursive: true);
}
string report = Report.Write(results, services);
Console.WriteLine(smoke ? "smoke: ok" : report);
if (output is not null)
    await File.WriteAllTextAsync(output, report);
return 0;
