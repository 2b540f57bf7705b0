using System.Diagnostics;
using System.Globalization;

namespace MetalLb.Net.Gossip.Bench;

/// <summary>The Go memberlist program from the interop tests, built offline, run in its -bench mode.</summary>
internal static class GoProgram
{
    public static string Build()
    {
        var source = Path.GetFullPath(Path.Combine(FindRepoRoot(), "tests/MetalLb.Net.Gossip.Tests/Interop/mlpeer/main.go"));
        var root = Path.Combine(Path.GetTempPath(), "metallb-net-gossip-bench-go");
        var package = Path.Combine(root, "src", "mlpeer");
        Directory.CreateDirectory(package);
        File.Copy(source, Path.Combine(package, "main.go"), overwrite: true);
        var output = Path.Combine(root, "mlpeer");
        var info = new ProcessStartInfo("go", ["build", "-o", output, "mlpeer"]) { WorkingDirectory = root };
        info.Environment["GOPATH"] = $"{root}:/usr/share/gocode";
        info.Environment["GO111MODULE"] = "off";
        info.Environment["GOPROXY"] = "off";
        info.Environment["GOFLAGS"] = "";
        // go wants a home for its settings; CI may run without HOME.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HOME")))
            info.Environment["HOME"] = Path.GetTempPath();
        info.Environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "metallb-net-gossip-gocache");
        using var build = Process.Start(info)!;
        build.WaitForExit();
        if (build.ExitCode != 0)
            throw new InvalidOperationException("go build failed");
        return output;
    }

    public static double Measure(string binary, int n)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return MeasureOnce(binary, n);
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // The program binds n consecutive ports from a random base; another process may hold one.
            }
        }
    }

    private static double MeasureOnce(string binary, int n)
    {
        var port = 30000 + Random.Shared.Next(20000);
        var info = new ProcessStartInfo(binary, ["-bench", n.ToString(CultureInfo.InvariantCulture), "-port", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("go bench failed: " + text);
        return double.Parse(line[(line.IndexOf("ms=", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MetalLb.Net.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}
