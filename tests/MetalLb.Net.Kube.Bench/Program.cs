using System.Globalization;
using MetalLb.Net.Kube.Bench;

// Kubernetes client benchmarks (docs/benchmarks-kube.md): informer initial sync of N Services
// and watch event throughput, each beside the emulator's raw figure for the same data (bytes
// read off the socket with no decoding), measured in the same run.
//   dotnet run -c Release --project tests/MetalLb.Net.Kube.Bench -- [services] [output.md]
// `smoke` runs every scenario with 100 Services (scripts/test.sh); each checks the object and
// event counts it claims, so a broken scenario fails there and not on the next measuring run.
bool smoke = args is ["smoke"];
int services = smoke ? 100 : args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
string? output = !smoke && args.Length > 1 ? args[1] : null;
if (smoke)
    Scenarios.Runs = 1;

await using var scenarios = await Scenarios.StartAsync(services);
string report = await scenarios.RunAsync();
Console.WriteLine(smoke ? "smoke: ok" : report);
if (output is not null)
    await File.WriteAllTextAsync(output, report);
return 0;
