using System.Globalization;
using MetalLb.Net.Kube.Bench;

// Kubernetes client benchmarks (docs/benchmarks-kube.md): informer initial sync of N Services
// and watch event throughput, each beside the emulator's raw figure for the same data (bytes
// read off the socket with no decoding), measured in the same run.
//   dotnet run -c Release --project tests/MetalLb.Net.Kube.Bench -- [services] [output.md]
int services = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
string? output = args.Length > 1 ? args[1] : null;

await using var scenarios = await Scenarios.StartAsync(services);
string report = await scenarios.RunAsync();
Console.WriteLine(report);
if (output is not null)
    await File.WriteAllTextAsync(output, report);
return 0;
