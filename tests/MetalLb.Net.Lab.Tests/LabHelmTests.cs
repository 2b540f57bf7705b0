using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Lab.Tests;

/// <summary>
/// `lab up` installs MetalLb.Net with its own Helm chart and the lab's node agent runs the
/// chart's pods: a Service gets an IP that curl reaches, the processes authenticate with the
/// chart's ServiceAccount tokens (so the chart's RBAC is what they get: without the
/// controller's ClusterRoleBinding it is refused, by name), `helm upgrade` with a changed value
/// replaces the speaker pods with the new argument, and `lab down` leaves nothing.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class LabHelmTests(ITestOutputHelper output) : IDisposable
{
    private const string ControllerUser = "system:serviceaccount:metallb-system:metallb-net-controller";

    private static readonly string[] NodeNames = ["node1", "node2", "node3"];

    private readonly LabCli _cli = new(output.WriteLine);
    private readonly string _name = LabCli.NewName();
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-helm-test-").FullName;

    private static string Service(string name) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: default}
        spec:
          type: LoadBalancer
          selector: {app: {{name}}}
          ports: [{port: 80, protocol: TCP}]
        """;

    [SkippableFact]
    public async Task The_chart_installed_by_helm_runs_with_its_own_service_accounts_and_helm_upgrade_rolls_the_speakers()
    {
        LabCli.RequirePrerequisites();
        string helm = Prerequisite.Require(Path.Combine(RepoPaths.Tools, "kubectl-v33", "helm"), "helm v4", "scripts/install/helm.sh");
        string kubeconfig = Path.Combine(_dir, "kubeconfig");
        var up = _cli.Lab("lab", "up", "--name", _name, "--nodes", "3", "--mode", "l2", "--kubeconfig", kubeconfig);
        Assert.True(up.ExitCode == 0, up.All);
        Assert.Contains("helm install metallb-net", up.Stdout, StringComparison.Ordinal);
        Assert.Contains("STATUS: deployed", up.Stdout, StringComparison.Ordinal);

        // The pods the chart's workloads ask for, owned by them, with the pod IPs a kubelet reports.
        var pods = Pods(kubeconfig);
        var speakers = pods.Where(p => Owner(p) == "DaemonSet/metallb-net-speaker").ToList();
        var controllers = pods.Where(p => Owner(p) == "Deployment/metallb-net-controller").ToList();
        Assert.Equal(NodeNames, speakers.Select(p => (string)p["spec"]!["nodeName"]!).Order(StringComparer.Ordinal));
        Assert.Single(controllers);
        Assert.All(pods, p => Assert.Equal("True", Condition(p, "Ready")));
        Assert.All(speakers, p => Assert.Equal((string?)p["status"]!["hostIP"], (string?)p["status"]!["podIP"]));

        // The processes were started from the pod spec: no kubeconfig, the in-cluster service account.
        var state = LabState.Read(_name) ?? throw new InvalidOperationException("no state");
        var controllerProcess = state.Processes.Single(p => p.Name == "controller");
        string cmdline = File.ReadAllText($"/proc/{controllerProcess.Pid}/cmdline").Replace('\0', ' ');
        Assert.DoesNotContain("--kubeconfig", cmdline, StringComparison.Ordinal);
        Assert.Contains("--webhook-mode=enabled", cmdline, StringComparison.Ordinal);
        string environ = File.ReadAllText($"/proc/{controllerProcess.Pid}/environ");
        Assert.Contains("KUBERNETES_SERVICE_HOST=127.0.0.1", environ, StringComparison.Ordinal);
        Assert.Contains($"METALLB_POD_NAME={(string)controllers[0]["metadata"]!["name"]!}", environ, StringComparison.Ordinal);

        // A Service gets an IP from the chart-installed controller, and the speakers make it reachable.
        await File.WriteAllTextAsync(Path.Combine(_dir, "web.yaml"), Service("web"));
        Assert.Equal(0, _cli.Kubectl_(kubeconfig, "apply", "-f", Path.Combine(_dir, "web.yaml")).ExitCode);
        string ip = await Eventually.Value(() => Task.FromResult(IngressIp(kubeconfig, "web")),
            v => v.StartsWith("192.0.2.", StringComparison.Ordinal), "kubectl shows web's IP", Describe, TimeSpan.FromSeconds(60));
        string client = $"mlb-{_name}-client";
        string answered = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, ip)), NodeNames.Contains,
            $"curl http://{ip}/ from the client names a node", Describe, TimeSpan.FromSeconds(60));
        output.WriteLine($"{ip} answered by {answered}");
        string controllerLog = Path.Combine(LabPaths.Dir(_name), "controller.log");
        Assert.DoesNotContain(File.ReadLines(controllerLog), l => l.Contains("forbidden", StringComparison.OrdinalIgnoreCase));

        // The controller's rights are the chart's: take its ClusterRoleBinding away and its next
        // Service status write is refused to the chart's ServiceAccount by name.
        var unbind = _cli.Kubectl_(kubeconfig, "delete", "clusterrolebinding", "metallb-net:controller");
        Assert.True(unbind.ExitCode == 0, unbind.All);
        await File.WriteAllTextAsync(Path.Combine(_dir, "second.yaml"), Service("second"));
        Assert.Equal(0, _cli.Kubectl_(kubeconfig, "apply", "-f", Path.Combine(_dir, "second.yaml")).ExitCode);
        string refused = await Eventually.Value(
            () => Task.FromResult(File.ReadLines(controllerLog).FirstOrDefault(l => l.Contains("forbidden", StringComparison.OrdinalIgnoreCase)
                && l.Contains(ControllerUser, StringComparison.Ordinal)) ?? ""),
            l => l.Length > 0, $"the controller's log shows a 403 for {ControllerUser}", Describe, TimeSpan.FromSeconds(60));
        output.WriteLine($"refused: {refused}");
        Assert.Equal("", IngressIp(kubeconfig, "second"));

        // helm upgrade with a changed value: the binding is back (helm restores what the chart
        // renders), and the speaker pods are replaced one by one with the new argument.
        string[] before = [.. speakers.Select(p => (string)p["metadata"]!["name"]!)];
        var upgrade = Helm(helm, kubeconfig, "upgrade", "metallb-net", Path.Combine(RepoPaths.Root, "charts", "metallb-net"),
            "--namespace", "metallb-system", "--reuse-values", "--set", "speaker.logLevel=debug");
        Assert.True(upgrade.ExitCode == 0, upgrade.All);
        await Eventually.Value(() => Task.FromResult(IngressIp(kubeconfig, "second")), v => v.StartsWith("192.0.2.", StringComparison.Ordinal),
            "with its binding restored by helm upgrade the controller gives 'second' an IP", Describe, TimeSpan.FromSeconds(90));
        var rolled = await Eventually.Value(() => Task.FromResult(Pods(kubeconfig).Where(p => Owner(p) == "DaemonSet/metallb-net-speaker").ToList()),
            now => now.Count == NodeNames.Length && now.All(p => !before.Contains((string)p["metadata"]!["name"]!) && Condition(p, "Ready") == "True"),
            "three new speaker pods, all Ready", Describe, TimeSpan.FromSeconds(600));
        foreach (var pod in rolled)
            Assert.Contains("--log-level=debug", ((JsonArray)pod["spec"]!["containers"]![0]!["args"]!).Select(a => (string?)a));
        state = LabState.Read(_name) ?? throw new InvalidOperationException("no state");
        foreach (string node in NodeNames)
        {
            var speaker = state.Processes.Single(p => p.Name == "speaker-" + node);
            Assert.True(ProcInfo.IsAlive(speaker.Pid, speaker.StartTime), $"{node}'s new speaker runs");
            Assert.Contains("--log-level=debug", File.ReadAllText($"/proc/{speaker.Pid}/cmdline").Replace('\0', ' '), StringComparison.Ordinal);
        }
        string after = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, ip)), NodeNames.Contains,
            $"curl http://{ip}/ after the rolling update names a node", Describe, TimeSpan.FromSeconds(60));
        output.WriteLine($"after the upgrade {ip} is answered by {after}");
        var status = _cli.Lab("lab", "status", "--name", _name);
        Assert.Contains("metallb-net-speaker-", status.Stdout, StringComparison.Ordinal);

        var down = _cli.Lab("lab", "down", "--name", _name);
        Assert.True(down.ExitCode == 0, down.All);
        Assert.Empty(LabTeardown.LabNamespaces($"mlb-{_name}-"));
        Assert.DoesNotContain(state.Processes, p => ProcInfo.IsAlive(p.Pid, p.StartTime));
        Assert.False(Directory.Exists(LabPaths.Dir(_name)), $"{LabPaths.Dir(_name)} is gone");
        Assert.False(File.Exists(kubeconfig), "the --kubeconfig file is gone");
        // The token mount point goes with the last helm lab (other labs may be running on this machine).
        if (!Directory.Exists(LabPaths.RunRoot) || !Directory.EnumerateDirectories(LabPaths.RunRoot).Any(d => LabState.Read(Path.GetFileName(d))?.Install == LabInstall.Helm))
            Assert.All(state.CreatedDirs, d => Assert.False(Directory.Exists(d), $"{d}, made for the pods' tokens, is gone"));
    }

    private List<JsonObject> Pods(string kubeconfig)
    {
        var run = _cli.Kubectl_(kubeconfig, "get", "pods", "-n", "metallb-system", "-o", "json");
        Assert.True(run.ExitCode == 0, run.All);
        return [.. JsonNode.Parse(run.Stdout)!["items"]!.AsArray().Select(i => i!.AsObject())];
    }

    private string IngressIp(string kubeconfig, string service) =>
        _cli.Kubectl_(kubeconfig, "get", "svc", service, "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Stdout.Trim();

    private static string Owner(JsonObject pod) =>
        pod["metadata"]?["ownerReferences"]?[0] is { } o ? $"{(string?)o["kind"]}/{(string?)o["name"]}" : "";

    private static string? Condition(JsonObject pod, string type) =>
        (pod["status"]?["conditions"]?.AsArray() ?? []).FirstOrDefault(c => (string?)c!["type"] == type)?["status"]?.GetValue<string>();

    private LabCli.Run Helm(string helm, string kubeconfig, params string[] args)
    {
        string home = Path.Combine(_dir, "helm-home");
        Directory.CreateDirectory(home);
        var psi = new ProcessStartInfo(helm) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[.. args, "--kubeconfig", kubeconfig])
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = home;
        psi.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        psi.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        psi.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);   // the helm this test started, by its handle
            p.WaitForExit();
            Assert.Fail($"helm {string.Join(' ', args)} did not finish within 2 minutes");
        }
        var run = new LabCli.Run(p.ExitCode, stdout.Result, stderr.Result);
        output.WriteLine($"$ helm {string.Join(' ', args)} -> exit {run.ExitCode}\n{run.All}");
        return run;
    }

    private string Describe()
    {
        string log = LabPaths.Log(_name);
        var state = LabState.Read(_name);
        var sb = new StringBuilder($"lab state: {(state is null ? "none" : JsonSerializer.Serialize(state.Processes))}\n--- lab.log ---\n");
        sb.Append(File.Exists(log) ? string.Join('\n', File.ReadAllLines(log).TakeLast(40)) : "(none)");
        string controllerLog = Path.Combine(LabPaths.Dir(_name), "controller.log");
        if (File.Exists(controllerLog))
            sb.Append("\n--- controller.log ---\n").Append(string.Join('\n', File.ReadAllLines(controllerLog).TakeLast(15)));
        return sb.ToString();
    }

    public void Dispose()
    {
        _cli.DownIfLeft(_name);
        Directory.Delete(_dir, recursive: true);
    }
}
