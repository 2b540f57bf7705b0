using System.Diagnostics;
using System.Globalization;
using System.Text;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;

namespace MetalLb.Net.Lab;

/// <summary>
/// The running lab (`metallb-net lab up --foreground`, which plain `lab up` starts detached):
/// builds the cluster step by step with progress, serves the API and the nodes' backends,
/// restarts a speaker or the controller that exits (as the kubelet would), and on SIGTERM or
/// Ctrl-C removes everything it made. Every namespace and process is in state.json before or
/// as soon as it exists, so `lab down` can clean up after a crash too.
/// </summary>
public sealed partial class LabRunner : IAsyncDisposable
{
    /// <summary>The line `lab up` waits for; everything before it is progress.</summary>
    public const string ReadyLine = "==> the lab is up";

    public const string FailedPrefix = "==> lab up failed: ";

    public const string Token = "lab-token";

    /// <summary>How long the kubelet-like supervisor waits before restarting an exited daemon (kubelet's first back-off is 10 s).</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(10);

    private readonly LabSettings _settings;
    private readonly TextWriter _out;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly LabState _state;
    private readonly List<LabNode> _nodes = [];
    private readonly List<NodeBackend> _backends = [];
    private readonly string _dir;
    private EmulatorServer? _server;
    private KubeClient? _api;
    private ClusterNetwork? _network;
    private LabProcess? _controller;
    private NamespaceSockets? _controllerSockets;
    private FrrRouter? _router;
    private Task? _proxy;
    private LabNodeAgent? _agent;
    private Task? _agentRun;
    private NamespaceSockets? _podSockets;
    private ApiForwarder? _podForwarder;
    private WebhookForwarder? _webhook;
    private readonly CancellationTokenSource _background = new();

    private LabRunner(LabSettings settings, TextWriter output)
    {
        _settings = settings;
        _out = output;
        _dir = LabPaths.Dir(settings.Name);
        _state = new LabState
        {
            Name = settings.Name, Prefix = settings.Prefix, Mode = settings.Mode, Install = settings.Install,
            DaemonPid = Environment.ProcessId, DaemonStartTime = ProcInfo.StartTime(Environment.ProcessId),
        };
    }

    /// <summary>Runs the lab until <paramref name="stop"/>; 0 after a clean stop, 1 when it could not start.</summary>
    public static async Task<int> RunAsync(LabSettings settings, TextWriter output, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        Directory.CreateDirectory(LabPaths.Dir(settings.Name));
        await using var lab = new LabRunner(settings, output);
        lab._state.Write();
        try
        {
            await lab.BuildAsync(stop);
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException)
        {
            lab.Progress("stopped while starting; removing what was made");
            return 1;
        }
        catch (Exception e)
        {
            lab.Progress(FailedPrefix + e.Message);
            lab.PrintLogs();
            lab.Progress("removing what was made");
            return 1;
        }
        lab._state.Phase = "Ready";
        lab._state.Write();
        output.WriteLine(await LabView.RenderAsync(lab._state, lab._api!, lab._background.Token));
        output.WriteLine(ReadyLine);
        output.Flush();
        await lab.SuperviseAsync(stop);
        lab.Progress("stopping: removing processes, namespaces and files");
        return 0;
    }

    private async Task BuildAsync(CancellationToken ct)
    {
        bool helm = _settings.Install == LabInstall.Helm;
        Progress($"lab '{_settings.Name}': {_settings.Nodes} nodes, mode {_settings.Mode.ToString().ToLowerInvariant()}, install {_settings.Install.ToString().ToLowerInvariant()}, folder {_dir}");
        string speakerDll = ClusterBinaries.Speaker ?? throw new InvalidOperationException(ClusterBinaries.SpeakerMissing);
        string controllerDll = ClusterBinaries.Controller ?? throw new InvalidOperationException(ClusterBinaries.ControllerMissing);

        Progress("starting the API server (the in-repo emulator, https on 127.0.0.1)");
        _server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = Token }, ct);
        _state.ApiPort = _server.BaseAddress.Port;
        string kubeconfig = LabPaths.Kubeconfig(_settings.Name);
        _state.Kubeconfigs.Add(kubeconfig);
        if (_settings.Kubeconfig is { } extra)
            _state.Kubeconfigs.Add(Path.GetFullPath(extra));
        _state.Write();
        foreach (string path in _state.Kubeconfigs)
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } parent)
                Directory.CreateDirectory(parent);
            _server.WriteKubeconfig(path);
            // Readable by the user who ran sudo: the lab's token opens nothing outside the lab.
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(path, (UnixFileMode)0x1A4);   // 0644
        }
        _api = new KubeClient(KubeConfigLoader.FromYaml(_server.Kubeconfig()));
        // With helm the chart installs the CRDs (as templates), and owns them.
        if (!helm)
            await InstallCrdsAsync(ct);
        await _api.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = LabObjects.MetalLbNamespace } }, ct);
        Progress($"kubeconfig written: {string.Join(", ", _state.Kubeconfigs)}");

        Progress("creating the network: a bridge, the router, the client and the nodes, each in its own namespace");
        _network = new ClusterNetwork(_settings.Prefix, ns =>
        {
            _state.Namespaces.Add(ns);
            _state.Write();
        });
        _state.LanNamespace = _network.Lan;
        var routerHost = _network.AddHost("router", 1, "02:00:00:00:00:f1");
        var clientHost = _network.AddHost("client", 2, "02:00:00:00:00:f2");
        _state.RouterNamespace = routerHost.Namespace;
        _state.ClientNamespace = clientHost.Namespace;
        ConfigureRouting(routerHost, clientHost);
        for (int i = 1; i <= _settings.Nodes; i++)
        {
            ct.ThrowIfCancellationRequested();
            var host = _network.AddHost($"node{i}", 10 + i, string.Create(CultureInfo.InvariantCulture, $"02:00:00:00:00:{i:x2}"));
            var node = new LabNode(host, new NamespaceSockets(host.Namespace));
            _nodes.Add(node);
            _state.Nodes.Add(new LabStateNode(node.Name, node.Namespace, node.IPv4, node.IPv6, node.Mac));
            node.Forwarder = new ApiForwarder(node.Sockets, _state.ApiPort);
            _backends.Add(new NodeBackend(node.Sockets, node.Name));
            await LabObjects.CreateNodeAsync(_api, node, speakerPod: !helm);
        }
        _state.Write();
        Progress($"{_nodes.Count} nodes: {string.Join(", ", _nodes.Select(n => $"{n.Name} {n.IPv4}"))}; each has its Node object and a backend on :{NodeBackend.Port} naming it");

        Progress("starting the kube-proxy stand-in (EndpointSlices and DNAT rules per Service IP; the IP is never on an interface)");
        _proxy = new LabKubeProxy(_api, _nodes, Progress).RunAsync(_background.Token);

        if (_settings.Router)
        {
            Progress("starting FRR (zebra + bgpd) in the router namespace, peering with every node, multipath on");
            _router = new FrrRouter(routerHost, _dir, _nodes.Select(n => n.Host), new FrrRouterOptions());
            _router.Start();
            Record(_router.Zebra);
            Record(_router.Bgpd);
        }

        if (helm)
            await InstallWithHelmAsync(kubeconfig, ct);
        else
            await StartDirectAsync(controllerDll, speakerDll, kubeconfig, ct);

        string yaml = LabSample.Yaml(_settings.Mode, new FrrRouterOptions());
        _state.Config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(_state.Config, yaml, ct);
        await LabSample.ApplyAsync(_api, yaml, ct);
        Progress($"sample configuration applied ({_state.Config})");

        if (_router is not null)
            await WaitForSessionsAsync(ct);
        Progress(string.Create(CultureInfo.InvariantCulture, $"up in {_clock.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>--install direct: the controller in node1's namespace and a speaker per node, started with the admin kubeconfig.</summary>
    private async Task StartDirectAsync(string controllerDll, string speakerDll, string kubeconfig, CancellationToken ct)
    {
        Progress($"starting metallb-net-controller (in {_nodes[0].Name}'s namespace, as its Deployment's pod would run)");
        _controllerSockets = _nodes[0].Sockets;
        _controller = new LabProcess("controller", Path.Combine(_dir, "controller.log"), () =>
            DaemonCommands.Controller(controllerDll, kubeconfig, _settings.LogLevel, _nodes[0].Namespace));
        StartRecorded(_controller);
        string key = await WaitForMemberlistKeyAsync(ct);
        string keyPath = Path.Combine(_dir, "secretkey");
        await File.WriteAllTextAsync(keyPath, key, ct);
        Progress("the controller created the speakers' memberlist Secret");

        Progress("starting one metallb-net-speaker per node (ip netns exec NODE ...)");
        foreach (var n in _nodes)
        {
            n.SecretKeyPath = keyPath;
            var node = n;
            n.Speaker = new LabProcess($"speaker-{n.Name}", Path.Combine(_dir, $"speaker-{n.Name}.log"), () =>
                DaemonCommands.Speaker(node, speakerDll, kubeconfig, _settings.LogLevel, memberlist: true, ["--ml-profile", _settings.MlProfile]));
            StartRecorded(n.Speaker);
        }
        await Task.WhenAll(_nodes.Select(n => WaitReadyAsync(n, ct)));
    }

    /// <summary>
    /// The client reaches the BGP pool through the router, which forwards (and sends no ICMP
    /// redirects: those would teach the client to skip the router and its ECMP).
    /// </summary>
    private static void ConfigureRouting(LabHost router, LabHost client)
    {
        foreach (string sysctl in (string[])["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
                     "net.ipv4.conf.all.send_redirects=0", $"net.ipv4.conf.{LabHost.Link}.send_redirects=0"])
            LabShell.Check("ip", "netns", "exec", router.Namespace, LabShell.Which("sysctl") ?? "sysctl", "-qw", sysctl);
        LabShell.Check("ip", "netns", "exec", client.Namespace, LabShell.Which("sysctl") ?? "sysctl", "-qw", "net.ipv4.conf.all.accept_redirects=0");
        LabShell.Check("ip", "-n", client.Namespace, "route", "add", LabSample.BgpPrefix, "via", router.IPv4);
    }

    private async Task InstallCrdsAsync(CancellationToken ct)
    {
        var crds = _api!.Generic(new ResourceInfo("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false));
        foreach (var crd in CrdGenerator.GenerateAll())
            await crds.CreateAsync(GenericObject.Parse(LabSample.ToJson(crd.Yaml)), ct);
    }

    private void StartRecorded(LabProcess p)
    {
        p.Start();
        Record(p);
    }

    private void Record(LabProcess p)
    {
        lock (_state)
        {
            _state.Processes.RemoveAll(x => x.Name == p.Name);
            _state.Processes.Add(new LabStateProcess(p.Name, p.Pid, ProcInfo.StartTime(p.Pid)));
        }
        _state.Write();
    }

    private void Progress(string line)
    {
        lock (_out)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {line}"));
            _out.Flush();
        }
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>The controller and speakers of --install direct, which the lab itself restarts.</summary>
    private IEnumerable<LabProcess> DirectProcesses()
    {
        if (_controller is not null)
            yield return _controller;
        foreach (var n in _nodes.Where(n => n.Speaker is not null))
            yield return n.Speaker;
    }

    private IEnumerable<LabProcess> Processes()
    {
        foreach (var p in DirectProcesses())
            yield return p;
        foreach (var p in _agent?.Pods.Select(p => p.Process).OfType<LabProcess>() ?? [])
            yield return p;
        if (_router is not null)
        {
            yield return _router.Zebra;
            yield return _router.Bgpd;
        }
    }

    private void PrintLogs()
    {
        var sb = new StringBuilder();
        foreach (var p in Processes())
            sb.Append(CultureInfo.InvariantCulture, $"--- {p.Name} (pid {p.Pid}{(p.IsRunning ? "" : ", exited")}), last lines of {p.LogPath} ---\n{Tail(p.ReadLog(), 25)}\n");
        lock (_out)
        {
            _out.Write(sb.ToString());
            _out.Flush();
        }
    }
}
