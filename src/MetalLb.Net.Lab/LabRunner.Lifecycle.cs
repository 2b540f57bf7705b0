using System.Globalization;
using System.Net;
using System.Text;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

// Waiting for the parts to come up (each with a deadline and the reason it is still waiting),
// keeping them running, and taking everything down again.
public sealed partial class LabRunner
{
    /// <summary>A .NET daemon's start on a busy 2-core machine has taken 25 s; this is the patience per step.</summary>
    public static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(180);

    private async Task<string> WaitForMemberlistKeyAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow + StepDeadline;
        while (true)
        {
            if (_controller is { IsRunning: false })
                throw new InvalidOperationException($"the controller exited ({_controller.ExitCode}) before creating the memberlist Secret");
            try
            {
                var secret = await _api!.Resource<Secret>().GetAsync(LabObjects.MetalLbNamespace, "memberlist", ct);
                string? key = secret.Data?.GetValueOrDefault("secretkey") is { } b64
                    ? Encoding.UTF8.GetString(Convert.FromBase64String(b64))
                    : secret.StringData?.GetValueOrDefault("secretkey");
                if (key is { Length: > 0 })
                    return key;
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Not yet.
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the controller did not create Secret metallb-system/memberlist within {StepDeadline.TotalSeconds:0} s");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Polls the speaker's /readyz inside its node until 200 (its caches have synced).</summary>
    private async Task WaitReadyAsync(LabNode node, CancellationToken ct)
    {
        using var http = node.Sockets.HttpClient(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{DaemonCommands.SpeakerPort}/")));
        var until = DateTime.UtcNow + StepDeadline;
        while (true)
        {
            if (!node.Speaker.IsRunning)
                throw new InvalidOperationException($"{node.Name}'s speaker exited ({node.Speaker.ExitCode}) while starting; its log: {node.Speaker.LogPath}");
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    Progress($"{node.Name}'s speaker is ready (pid {node.Speaker.Pid})");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException && !ct.IsCancellationRequested)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{node.Name}'s speaker did not answer /readyz within {StepDeadline.TotalSeconds:0} s; its log: {node.Speaker.LogPath}");
            await Task.Delay(200, ct);
        }
    }

    /// <summary>Waits (a while, not failing) for every node's session to the router; says which are still down.</summary>
    private async Task WaitForSessionsAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlySet<string> up = new HashSet<string>();
        while (DateTime.UtcNow < until)
        {
            up = _router!.EstablishedPeers();
            if (_nodes.All(n => up.Contains(n.IPv4)))
            {
                Progress($"BGP: the router has a session with each of the {_nodes.Count} nodes");
                return;
            }
            await Task.Delay(250, ct);
        }
        Progress($"BGP: still waiting for {string.Join(", ", _nodes.Where(n => !up.Contains(n.IPv4)).Select(n => n.Name))} (see `lab status`)");
    }

    /// <summary>
    /// Until stopped: restarts the controller or a speaker that exited, after
    /// <see cref="RestartDelay"/>, as the kubelet restarts a pod (so `lab failover --how kill`
    /// leaves a whole cluster behind), and records the new PID.
    /// </summary>
    private async Task SuperviseAsync(CancellationToken stop)
    {
        var exitedAt = new Dictionary<LabProcess, DateTime>();
        while (!stop.IsCancellationRequested)
        {
            // The node agent restarts its pods' containers itself (with the kubelet's back-off).
            foreach (var p in DirectProcesses())
            {
                if (p.IsRunning)
                {
                    exitedAt.Remove(p);
                    continue;
                }
                if (!exitedAt.TryGetValue(p, out var at))
                {
                    exitedAt[p] = DateTime.UtcNow;
                    Progress($"{p.Name} exited ({p.ExitCode}); restarting it in {_settings.RestartDelay.TotalSeconds:0} s, as the kubelet would");
                }
                else if (DateTime.UtcNow - at >= _settings.RestartDelay && _settings.HoldRestart?.Invoke(p.Name) != true)
                {
                    StartRecorded(p);
                    exitedAt.Remove(p);
                    Progress($"{p.Name} restarted (pid {p.Pid})");
                }
            }
            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _state.Phase = "Stopping";
        TryWrite();
        var teardown = new TeardownSteps();

        await _background.CancelAsync();
        if (_proxy is not null)
            await teardown.Try("stop the kube-proxy stand-in", () => _proxy);
        await StopHelmPartsAsync(teardown.Try);
        foreach (var n in _nodes)
            await teardown.Do($"stop {n.Name}'s speaker", () => n.Speaker?.Dispose());
        await teardown.Do("stop the controller", () => _controller?.Dispose());
        await teardown.Do("stop FRR", () => _router?.Dispose());
        foreach (var b in _backends)
            await teardown.Try("stop a backend", () => b.DisposeAsync().AsTask());
        foreach (var n in _nodes)
        {
            if (n.Forwarder is { } forwarder)
                await teardown.Try($"stop {n.Name}'s API forwarder", () => forwarder.DisposeAsync().AsTask());
            await teardown.Do($"leave {n.Name}'s namespace", n.Sockets.Dispose);
        }
        _api?.Dispose();
        if (_server is not null)
            await teardown.Try("stop the API server", () => _server.DisposeAsync().AsTask());
        await teardown.Do("delete the namespaces", () => _network?.Dispose());
        foreach (string kubeconfig in _state.Kubeconfigs)
            await teardown.Do($"delete {kubeconfig}", () => File.Delete(kubeconfig));
        await teardown.Do("delete the folders made for the pods' tokens", () => LabTeardown.RemoveCreatedDirs(_state, _settings.Name));
        await teardown.Do("delete the lab folder", () => Directory.Delete(_dir, recursive: true));
        _background.Dispose();
        Progress(teardown.Failures ?? "removed: every process, namespace and file of the lab");
    }

    private void TryWrite()
    {
        try
        {
            _state.Write();
        }
        catch (IOException)
        {
            // The folder is already gone (lab down got there first).
        }
    }
}
