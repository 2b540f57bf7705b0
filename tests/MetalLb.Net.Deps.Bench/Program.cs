using MetalLb.Net.Deps.Bench;

// Measurements for docs/dependencies.md (issue 14). Each prints a Markdown table.
//   dotnet run -c Release --project tests/MetalLb.Net.Deps.Bench -- parse|prometheus|clients
//   (clients starts this same program again as "client ours|official|none <kubeconfig>")
//   ... -- smoke: all three at a tiny size, each checking what it reads (scripts/test.sh)
switch (args.FirstOrDefault())
{
    case "smoke":
        ParseBench.Run(frames: 2_000);
        await PrometheusNames.RunAsync();
        Environment.SetEnvironmentVariable("DEPS_BENCH_SMALL", "1");
        await ClientFootprint.RunAsync(1);
        Console.WriteLine("smoke: ok");
        return 0;
    case "parse":
        ParseBench.Run();
        return 0;
    case "prometheus":
        await PrometheusNames.RunAsync();
        return 0;
    case "clients":
        await ClientFootprint.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
        return 0;
    case "client":
        return await ClientFootprint.ChildAsync(args[1], args[2]);
    default:
        Console.Error.WriteLine("usage: parse | prometheus | clients [rounds]");
        return 2;
}
