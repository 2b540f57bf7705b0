using System.Collections.Concurrent;
using System.Globalization;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab.Bench;

/// <summary>
/// One `metallb-net lab` (3 nodes, L2 and BGP) run inside this process, as `lab up --foreground`
/// runs it, with Services web (L2 pool) and api (BGP pool). A killed speaker is held down until
/// its trial ends (<see cref="Hold"/>), then the lab restarts it at once instead of after the
/// kubelet's 10 s; <see cref="SettleAsync"/> waits until the lab is whole again.
/// </summary>
internal sealed class BenchLab : IAsyncDisposable
{
    public const int ServicePort = 80;

    private readonly ConcurrentDictionary<string, bool> _held = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _log;
    private readonly Dictionary<string, (NamespaceSockets Sockets, HttpClient Http)> _speakers = [];
    private Task<int>? _run;

    private BenchLab(string name, string profile, Action<string> log)
    {
        Name = name;
        Profile = profile;
        _log = log;
    }

    public string Name { get; }

    /// <summary>The speakers' --ml-profile.</summary>
    public string Profile { get; }

    public LabState State { get; private set; } = null!;

    public KubeClient Api { get; private set; } = null!;

    public string WebIp { get; private set; } = "";

    public string ApiIp { get; private set; } = "";

    /// <summary>The node owning web's IP when every speaker runs (MetalLB's choice is a pure function of the nodes and the IP).</summary>
    public string? L2Owner { get; private set; }

    public static async Task<BenchLab> StartAsync(string name, string profile, Action<string> log, CancellationToken ct)
    {
        var lab = new BenchLab(name, profile, log);
        try
        {
            await lab.UpAsync(ct);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task UpAsync(CancellationToken ct)
    {
        var settings = new LabSettings
        {
            Name = Name, Nodes = 3, Mode = LabMode.Both, MlProfile = Profile,
            // Started directly: held and immediate restarts are the lab's own supervisor's; the
            // helm path's node agent restarts with the kubelet's back-off.
            Install = LabInstall.Direct,
            RestartDelay = TimeSpan.Zero, HoldRestart = p => _held.ContainsKey(p),
        };
        var missing = LabPrerequisites.Missing(settings);
        if (missing.Count > 0)
            throw new PrerequisiteMissingException(string.Join("; ", missing));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new LineWriter(line =>
        {
            _log($"[{Name}] {line}");
            if (line == LabRunner.ReadyLine)
                ready.TrySetResult();
        });
        _run = Task.Run(() => LabRunner.RunAsync(settings, output, _stop.Token), CancellationToken.None);
        if (await Task.WhenAny(ready.Task, _run) == _run)
            throw new InvalidOperationException($"lab {Name} did not come up (exit {await _run}); its progress is above");
        State = Reread();
        Api = new KubeClient(KubeConfigLoader.FromYaml(await File.ReadAllTextAsync(State.Kubeconfigs[0], ct)));
        foreach (var node in State.Nodes)
        {
            var sockets = new NamespaceSockets(node.Namespace);
            _speakers[node.Name] = (sockets, sockets.HttpClient(new Uri(string.Create(CultureInfo.InvariantCulture,
                $"http://127.0.0.1:{DaemonCommands.SpeakerPort}/"))));
        }
        await CreateServicesAsync(ct);
    }

    private async Task CreateServicesAsync(CancellationToken ct)
    {
        var services = Api.Generic(new ResourceInfo("", "v1", "services", "Service", true));
        foreach (var (name, annotations) in (ValueTuple<string, string>[])[("web", "{}"), ("api", """{"metallb.io/address-pool": "lab-bgp"}""")])
        {
            await services.CreateAsync(GenericObject.Parse(string.Create(CultureInfo.InvariantCulture, $$$"""
                {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": "{{{name}}}", "namespace": "default", "annotations": {{{annotations}}}},
                 "spec": {"type": "LoadBalancer", "selector": {"app": "{{{name}}}"}, "ports": [{"port": {{{ServicePort}}}, "protocol": "TCP"}]}}
                """)), ct);
        }
        await Wait.UntilAsync(async () =>
        {
            WebIp = (await LabFailover.PickServiceAsync(Api, "default/web", ct))?.Ip ?? "";
            ApiIp = (await LabFailover.PickServiceAsync(Api, "default/api", ct))?.Ip ?? "";
            return WebIp.Length > 0 && ApiIp.Length > 0 ? null : "the controller has not given web and api their IPs";
        }, TimeSpan.FromSeconds(120), ct);
        _log($"[{Name}] web {WebIp} (L2), api {ApiIp} (BGP)");
    }

    /// <summary>The lab's state.json now: a restarted speaker's new PID is there.</summary>
    public LabState Reread() => LabState.Read(Name) ?? throw new InvalidOperationException($"lab {Name}'s state.json is gone");

    /// <summary>Keeps the lab from restarting this node's speaker until the returned handle is disposed.</summary>
    public IDisposable Hold(string node)
    {
        string process = "speaker-" + node;
        _held[process] = true;
        return new Release(() => _held.TryRemove(process, out _));
    }

    /// <summary>
    /// Until: every speaker runs and is ready, web's IP has one L2 owner and it is the one it had
    /// at the start (so the restarted or reconnected node is back in every speaker's gossip view:
    /// the interim owner gave the IP back, which it does only once it sees that node alive), and
    /// the router has a path to api's IP through every node: the gossip's settled state as the
    /// Service sees it (the speakers' metallb_gossip_members would say it too, but the owner's
    /// return is what a trial needs). Returns null when settled, else what was still missing.
    /// </summary>
    public async Task<string?> SettleAsync(TimeSpan deadline, CancellationToken ct)
    {
        try
        {
            await Wait.UntilAsync(() => NotSettledAsync(ct), deadline, ct);
            return null;
        }
        catch (TimeoutException e)
        {
            return e.Message;
        }
    }

    private async Task<string?> NotSettledAsync(CancellationToken ct)
    {
        var state = Reread();
        foreach (var node in state.Nodes)
        {
            var p = state.Processes.FirstOrDefault(x => x.Name == "speaker-" + node.Name);
            if (p is null || !ProcInfo.IsAlive(p.Pid, p.StartTime))
                return $"{node.Name}'s speaker is not running";
            var http = _speakers[node.Name].Http;
            try
            {
                using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), ct);
                if (!ready.IsSuccessStatusCode)
                    return $"{node.Name}'s speaker is not ready";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return $"{node.Name}'s speaker does not answer http yet";
            }
        }
        var owners = (await Api.Resource<ServiceL2Status>().ListAsync(LabObjects.MetalLbNamespace, null, ct)).Items
            .Where(s => s.Status?.ServiceName == "web").Select(s => s.Status!.Node).OfType<string>().Distinct().ToList();
        if (owners.Count != 1)
            return $"web's IP has {owners.Count} L2 owners ({string.Join(", ", owners)})";
        if (L2Owner is not null && owners[0] != L2Owner)
            return $"web's IP is still with {owners[0]}, not {L2Owner}";
        var hops = LabView.RouterNextHops(state, ApiIp);
        if (hops.Count != state.Nodes.Count)
            return $"the router reaches api's IP through {hops.Count} of {state.Nodes.Count} nodes";
        L2Owner ??= owners[0];
        State = state;
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (sockets, http) in _speakers.Values)
        {
            http.Dispose();
            sockets.Dispose();
        }
        Api?.Dispose();
        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
                // Stopped while starting: the lab removed what it made.
            }
        }
        // Belt and braces, as `lab down` after a crash: nothing of the lab may stay.
        var left = LabTeardown.Down(Name, _ => { });
        if (!left.Nothing)
            _log($"[{Name}] lab down removed what was left: {string.Join(", ", left.Removed)}");
        _stop.Dispose();
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}

internal sealed class PrerequisiteMissingException(string message) : Exception(message);

internal static class Wait
{
    /// <summary>Polls <paramref name="notYet"/> (null means done, else why not) every 100 ms until done or the deadline.</summary>
    public static async Task UntilAsync(Func<Task<string?>> notYet, TimeSpan deadline, CancellationToken ct)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            string? why = await notYet();
            if (why is null)
                return;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not within {deadline.TotalSeconds:0} s: {why}");
            await Task.Delay(100, ct);
        }
    }

    public static Task UntilAsync(Func<string?> notYet, TimeSpan deadline, CancellationToken ct) =>
        UntilAsync(() => Task.FromResult(notYet()), deadline, ct);
}
