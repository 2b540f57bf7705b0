using System.Globalization;
using MetalLb.Net.Admission.Bench;

// Admission latency through the emulator (issue 11's figure, docs/benchmarks.md): server-side
// applies of IPAddressPools with N pools stored, each timed from request to answer, the
// validating webhook of the real metallb-net-controller (child process, TLS, caBundle it
// injected) on in half of the blocks and off (configuration deleted) in the other half, same
// run, alternating so machine load hits both alike.
// With "stub" as 4th argument an in-process webhook that allows everything stands in for the
// controller: the emulator's own share of the latency.
//   dotnet run -c Release --project tests/MetalLb.Net.Admission.Bench -- [applies per mode] [pools] [blocks] [stub]
// `smoke` (scripts/test.sh): 20 applies per mode with 20 pools against the real controller, with
// the run's own checks (every apply answered 200; before each webhook block, the webhook refuses
// an overlapping pool).
bool smoke = args is ["smoke"];
if (smoke)
    args = ["20", "20", "2"];
int applies = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
int pools = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
int blocks = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
if (!(args.Length > 3 && args[3] == "stub") && !File.Exists(ControllerChild.Binary))
{
    Console.Error.WriteLine($"{ControllerChild.Binary} not found: build src/MetalLb.Net.Controller -c Release first");
    return 2;
}
bool stub = args.Length > 3 && args[3] == "stub";
var result = await AdmissionRun.RunAsync(applies, pools, blocks, stub);
Console.WriteLine(result);
if (smoke)
    Console.WriteLine("smoke: ok");
return 0;
