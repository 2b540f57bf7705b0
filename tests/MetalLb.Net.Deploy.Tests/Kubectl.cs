using System.Diagnostics;
using System.Text;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>kubectl v1.33 from .tools/ (the same npm package as helm), with its own discovery cache.</summary>
public sealed class Kubectl(string kubeconfig, string folder)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static string Binary => Prerequisite.Require(Path.Combine(RepoPaths.Tools, "kubectl-v33", "kubectl"), "kubectl v1.33", "scripts/install/kubectl.sh");

    public async Task<HelmResult> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(folder, "kubectl-cache"));
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = folder;
        psi.Environment.Remove("KUBECONFIG");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
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
            Assert.Fail($"kubectl {string.Join(' ', args)} did not finish within {Deadline}:\n{await stdout}\n{await stderr}");
        }
        return new HelmResult(p.ExitCode, await stdout, await stderr, "kubectl " + string.Join(' ', args));
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"{r.Command} exited {r.ExitCode}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");
        return r.Stdout;
    }
}
