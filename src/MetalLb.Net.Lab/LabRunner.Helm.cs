using System.Globalization;
using System.Net;

namespace MetalLb.Net.Lab;

// --install helm (the default): `helm install` of charts/metallb-net against the lab's API
// server, then the node agent runs the pods of the chart's Deployment and DaemonSet.
public sealed partial class LabRunner
{
    /// <summary>The controller pod's address: its own namespace on the lab's bridge, beside the nodes' .11 up.</summary>
    public const int ControllerPodOctet = 10;

    /// <summary>The controller's webhook port in its pod (the chart's containerPort webhook-server).</summary>
    public const int WebhookPort = 9443;

    private async Task InstallWithHelmAsync(string kubeconfig, CancellationToken ct)
    {
        string chart = LabHelm.Chart ?? throw new InvalidOperationException(LabHelm.ChartMissing);
        string ns = LabObjects.MetalLbNamespace;

        // A pod that is not host-network has a namespace of its own; the controller's is on the
        // bridge (so the speakers' BGP and the webhook calls reach it as they would a pod IP).
        var podHost = _network!.AddHost("controller", ControllerPodOctet, "02:00:00:00:00:c0");
        _podSockets = new NamespaceSockets(podHost.Namespace);
        _podForwarder = new ApiForwarder(_podSockets, _state.ApiPort);
        _webhook = new WebhookForwarder(_podSockets, new IPEndPoint(IPAddress.Parse(podHost.IPv4), WebhookPort));
        // The emulator cannot route to the bridge: the chart's webhook Service resolves to the
        // forwarder into the controller pod's namespace (docs/lab.md).
        _server!.Options.WebhookServices[$"{ns}/{LabHelm.WebhookService}"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_webhook.Port}");
        Progress($"controller pod namespace {podHost.Namespace} ({podHost.IPv4}); the webhook Service resolves to it");

        EnsureServiceAccountMountPoint();
        string[] args = ["install", LabHelm.Release, chart, "--namespace", ns, "--create-namespace", .. LabHelm.Values(_settings)];
        Progress($"helm {string.Join(' ', args)} --kubeconfig {kubeconfig}");
        var result = await Task.Run(() => LabHelm.Run(_dir, kubeconfig, args), ct);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"helm install exited {result.ExitCode}: {result.All.Trim()}");
        Progress("helm: " + string.Join("; ", result.Stdout.Split('\n').Where(l => l.StartsWith("STATUS:", StringComparison.Ordinal) || l.StartsWith("REVISION:", StringComparison.Ordinal)).Select(l => l.Trim())));

        var runtime = new PodRuntime(_api!, _server.CreateHttpClient(), _state.ApiPort, _server.CaCertificatePem ?? "", _dir, Progress, Record);
        _agent = new LabNodeAgent(runtime, ns, _nodes,
            new PodHost(_nodes[0].Name, podHost.Namespace, _podSockets, _nodes[0].IPv4, podHost.IPv4, podHost.IPv6));
        Progress("node agent started: it runs the chart's Deployment and DaemonSet pods as processes (image -> the built dll)");
        _agentRun = _agent.RunAsync(_background.Token);
        await WaitForPodsAsync(ct);
    }

    /// <summary>Until the controller pod and one speaker pod per node are Ready, saying how many are.</summary>
    private async Task WaitForPodsAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow + StepDeadline;
        int expected = _nodes.Count + 1;
        string last = "";
        while (true)
        {
            if (_agentRun is { IsCompleted: true } run)
                throw new InvalidOperationException($"the node agent stopped: {run.Exception?.GetBaseException().Message ?? "no error"}");
            var pods = _agent!.Pods;
            int running = pods.Count(p => p.IsRunning), ready = pods.Count(p => p.IsReady);
            string now = $"pods: {pods.Count}/{expected} created, {running} running, {ready} Ready";
            if (now != last)
                Progress(now);
            last = now;
            if (ready >= expected)
                return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not every pod was Ready within {StepDeadline.TotalSeconds:0} s ({now}); logs in {_dir}");
            await Task.Delay(250, ct);
        }
    }

    /// <summary>
    /// The token is bind-mounted at /var/run/secrets/kubernetes.io/serviceaccount inside each
    /// pod's private mount namespace; the mount point must exist on the host. Created folders are
    /// recorded and removed by the last lab to go down.
    /// </summary>
    private void EnsureServiceAccountMountPoint()
    {
        var missing = new List<string>();
        for (var d = new DirectoryInfo(PodRunner.ServiceAccountDir); d is not null && !d.Exists; d = d.Parent)
            missing.Add(d.FullName);
        _state.CreatedDirs.AddRange(missing);
        _state.Write();
        Directory.CreateDirectory(PodRunner.ServiceAccountDir);
    }

    private async Task StopHelmPartsAsync(Func<string, Func<Task>, Task> attempt)
    {
        if (_agentRun is not null)
            await attempt("stop the node agent", async () => await _agentRun.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing));
        if (_agent is not null)
            await attempt("stop the pods' processes", () => Task.WhenAll(_agent.Pods.Select(p => Task.Run(p.Dispose))));
        if (_webhook is not null)
            await attempt("stop the webhook forwarder", () => _webhook.DisposeAsync().AsTask());
        if (_podForwarder is not null)
            await attempt("stop the controller pod's API forwarder", () => _podForwarder.DisposeAsync().AsTask());
        if (_podSockets is not null)
            await attempt("leave the controller pod's namespace", () => Task.Run(_podSockets.Dispose));
    }
}
