using System.Diagnostics;
using System.Globalization;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Lab;

namespace MetalLb.Net.TestKit.ClusterLab;

/// <summary>
/// A Kubernetes cluster made of network namespaces, for the speaker's end-to-end tests: the API
/// emulator (in the test process), N node namespaces on one LAN with their Node objects and
/// speaker Pods, a client namespace, an FRR router namespace peering with every node, the real
/// `metallb-net-controller` (in the test process's namespace, on the emulator's loopback) and one
/// real `metallb-net-speaker` per node (`ip netns exec`). See <see cref="ClusterNetwork"/> for
/// names and addresses, <see cref="ApiForwarder"/> for how a node reaches the API.
/// DisposeAsync stops every process by PID, deletes every namespace and writes each process's
/// log to the test's output, also when the test failed.
/// </summary>
public sealed partial class ClusterLab : IAsyncDisposable
{
    public const string MetalLbNamespace = LabObjects.MetalLbNamespace;

    /// <summary>The speaker Pods' labels as upstream's manifests set them (and --ml-labels selects).</summary>
    public const string SpeakerLabels = LabObjects.SpeakerLabels;

    /// <summary>The speakers' HTTP port in their node namespace (--port).</summary>
    public const int SpeakerPort = DaemonCommands.SpeakerPort;

    private readonly ClusterLabOptions _options;
    private readonly List<LabNode> _nodes = [];
    private ClusterLab(ClusterLabOptions options)
    {
        _options = options;
        Dir = Directory.CreateTempSubdirectory("mlb-cluster-").FullName;
    }

    /// <summary>The lab's folder: kubeconfig, key files, FRR's files, every process's log.</summary>
    public string Dir { get; }

    public EmulatorLab Emulator { get; private set; } = null!;

    public KubeClient Api => Emulator.Client;

    /// <summary>The kubeconfig every process uses (127.0.0.1, reachable from the nodes through their forwarders).</summary>
    public string Kubeconfig { get; private set; } = "";

    public ClusterNetwork Network { get; private set; } = null!;

    public IReadOnlyList<LabNode> Nodes => _nodes;

    public ClientTools Client { get; private set; } = null!;

    /// <summary>The FRR router, or null when the lab runs without one.</summary>
    public FrrRouter? Router { get; private set; }

    public LabProcess? Controller { get; private set; }

    /// <summary>The memberlist key file written from the controller's Secret, or null.</summary>
    public string? SecretKeyPath { get; private set; }

    public LabNode Node(string name) => _nodes.Single(n => n.Name == name);

    /// <summary>The node whose link has <paramref name="mac"/>, or null (a MAC nobody in the lab has).</summary>
    public LabNode? NodeByMac(string? mac) =>
        _nodes.FirstOrDefault(n => string.Equals(n.Mac, mac, StringComparison.OrdinalIgnoreCase));

    /// <summary>Skips (fails under CI=true) unless we are root with every tool the lab drives.</summary>
    public static void RequirePrerequisites(bool router = true)
    {
        var missing = new List<string>();
        if (Environment.UserName != "root")
            missing.Add("root");
        string[] tools = ["ip", "arping", "ndisc6", "ping", "tcpdump"];
        missing.AddRange(tools.Where(t => LabShell.Which(t) is null));
        if (router)
            missing.AddRange(new[] { "/usr/lib/frr/bgpd", "/usr/lib/frr/zebra", "vtysh" }.Where(t => LabShell.Which(t) is null));
        if (missing.Count > 0)
            throw Prerequisite.Missing($"the cluster lab needs {string.Join(", ", missing)} (scripts/install/layer2-tools.sh and bgp-peers.sh install them)");
    }

    public static async Task<ClusterLab> StartAsync(ClusterLabOptions? options = null)
    {
        options ??= new ClusterLabOptions();
        RequirePrerequisites(options.Router);
        if (options.RequireSpeaker || options.StartSpeakers)
            RequireSpeaker();
        if (options.Controller)
            RequireController();
        var lab = new ClusterLab(options);
        try
        {
            await lab.BuildAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        var watch = Stopwatch.StartNew();
        Emulator = await EmulatorLab.StartAsync(true, MetalLbNamespace);
        Kubeconfig = Emulator.WriteKubeconfig(Dir);
        int apiPort = Emulator.Server.BaseAddress.Port;

        Network = new ClusterNetwork();
        var routerHost = Network.AddHost("router", 1, "02:00:00:00:00:f1");
        Client = new ClientTools(Network.AddHost("client", 2, "02:00:00:00:00:f2"), Dir);
        for (int i = 1; i <= _options.Nodes; i++)
        {
            var host = Network.AddHost($"node{i}", 10 + i, string.Create(CultureInfo.InvariantCulture, $"02:00:00:00:00:{i:x2}"));
            var node = new LabNode(host, new NamespaceSockets(host.Namespace));
            _nodes.Add(node);
            node.Forwarder = new ApiForwarder(node.Sockets, apiPort);
            node.Speaker = new LabProcess($"speaker-{node.Name}", Path.Combine(Dir, $"speaker-{node.Name}.log"), () => SpeakerStartInfo(node));
            await CreateNodeObjectsAsync(node);
        }
        Log($"lab {Network.Prefix}: emulator on port {apiPort}, {_nodes.Count} nodes, folder {Dir}");

        if (_options.Controller)
        {
            Controller = new LabProcess("controller", Path.Combine(Dir, "controller.log"), ControllerStartInfo);
            Controller.Start();
        }
        if (_options.Memberlist && _options.MemberlistKey == MemberlistKeySource.Controller)
        {
            SecretKeyPath = Path.Combine(Dir, "secretkey");
            await File.WriteAllTextAsync(SecretKeyPath, await WaitForMemberlistKeyAsync());
            foreach (var n in _nodes)
                n.SecretKeyPath = SecretKeyPath;
        }
        if (_options.Router)
        {
            Router = new FrrRouter(routerHost, Dir, _nodes.Select(n => n.Host), _options.RouterOptions);
            Router.Start();
        }
        if (_options.StartSpeakers)
        {
            foreach (var n in _nodes)
                n.Speaker.Start();
            foreach (var n in _nodes)
                await WaitReadyAsync(n);
        }
        Log($"lab {Network.Prefix} up in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Starts a node's speaker (after a Kill or Stop, or when the lab did not).</summary>
    public void StartSpeaker(LabNode node) => node.Speaker.Start();

    /// <summary>Starts a node's speaker and waits until its /readyz answers 200 (caches synced).</summary>
    public async Task StartSpeakerAsync(LabNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Speaker.Start();
        await WaitReadyAsync(node);
    }

    /// <summary>How long a speaker may take to become ready: on a shared 2-core machine a .NET start alone has taken 25 s.</summary>
    public static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Polls the speaker's /readyz inside its node until 200, so tests wait on behaviour, not on
    /// start-up. A speaker that exits fails at once with its log.
    /// </summary>
    public async Task WaitReadyAsync(LabNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var http = SpeakerHttp(node);
        await Eventually.True(async () =>
        {
            if (!node.Speaker.IsRunning)
                throw new InvalidOperationException($"{node.Name}'s speaker exited ({node.Speaker.ExitCode}):\n{Tail(node.Speaker.ReadLog(), 60)}");
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
                return false;   // not listening yet
            }
        }, $"{node.Name}'s speaker answers /readyz", ReadyDeadline);
    }

    /// <summary>`kill -9` of the node's speaker: no memberlist leave, no BGP Cease.</summary>
    public void KillSpeaker(LabNode node) => node.Speaker.Kill();

    /// <summary>SIGTERM, as the kubelet stops a pod: the speaker leaves gossip and closes its sessions.</summary>
    public void StopSpeaker(LabNode node) => node.Speaker.Stop();

    public void RestartSpeaker(LabNode node, bool graceful = true) => node.Speaker.Restart(graceful);

    /// <summary>tcpdump on a node's link (gossip between nodes never reaches the client: the bridge switches it).</summary>
    public Capture Tcpdump(LabNode node, string filter, bool ascii = false) => Capture.Start(node.Host, Dir, filter, ascii);

    /// <summary>An HttpClient to a node's speaker HTTP endpoint (/metrics, /readyz), dialled inside the node.</summary>
    public static HttpClient SpeakerHttp(LabNode node) =>
        node.Sockets.HttpClient(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{SpeakerPort}/")));

    /// <summary>The tail of every process's log and the router's view, for a failure message.</summary>
    public string Describe(int lines = 40)
    {
        var parts = new List<string>();
        foreach (var p in Processes())
            parts.Add($"--- {p.Name} (pid {p.Pid}{(p.IsRunning ? "" : ", not running")}) ---\n{Tail(p.ReadLog(), lines)}");
        if (Router is not null)
            parts.Add($"--- router ---\n{Router.Vtysh("show bgp summary")}");
        return string.Join('\n', parts);
    }

    public async ValueTask DisposeAsync()
    {
        // Every step runs even when one before it failed: namespaces and processes must go.
        var teardown = new TeardownSteps();

        // Speakers first (no gossip or BGP left running), by SIGKILL: teardown is not under test.
        foreach (var n in _nodes)
            await teardown.Do($"kill {n.Name}'s speaker", () => n.Speaker?.Kill());
        await teardown.Do("stop the controller", () => Controller?.Stop(TimeSpan.FromSeconds(5)));
        await teardown.Do("stop FRR", () =>
        {
            Router?.Bgpd.Kill();
            Router?.Zebra.Kill();
        });
        foreach (var p in Processes())
            await teardown.Do($"print {p.Name}'s log", () => Log($"--- {p.Name} log ({p.LogPath}) ---\n{Tail(p.ReadLog(), 400)}"));
        foreach (var n in _nodes)
        {
            await teardown.Do($"dispose {n.Name}'s speaker", () => n.Speaker?.Dispose());
            if (n.Forwarder is { } forwarder)
                await teardown.Try($"stop {n.Name}'s API forwarder", () => forwarder.DisposeAsync().AsTask());
            await teardown.Do($"leave {n.Name}'s namespace", n.Sockets.Dispose);
        }
        await teardown.Do("dispose the controller", () => Controller?.Dispose());
        await teardown.Do("dispose FRR", () => Router?.Dispose());
        if (Emulator is not null)
            await teardown.Try("stop the emulator", () => Emulator.DisposeAsync().AsTask());
        await teardown.Do("delete the namespaces", () => Network?.Dispose());
        await teardown.Do("delete the lab folder", () => Directory.Delete(Dir, recursive: true));
        if (teardown.Failures is { } failures)
            Log(failures);
    }

    private IEnumerable<LabProcess> Processes()
    {
        if (Controller is not null)
            yield return Controller;
        foreach (var n in _nodes.Where(n => n.Speaker is not null))
            yield return n.Speaker;
        if (Router is not null)
        {
            yield return Router.Zebra;
            yield return Router.Bgpd;
        }
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private void Log(string line) => _options.Output?.Invoke(line);

    /// <summary>The speaker's dll, or a skip (a failure under CI=true) saying how to build it.</summary>
    public static string RequireSpeaker() => ClusterBinaries.Speaker ?? throw Prerequisite.Missing(ClusterBinaries.SpeakerMissing);

    /// <summary>The controller's dll, or a skip (a failure under CI=true) saying how to build it.</summary>
    public static string RequireController() => ClusterBinaries.Controller ?? throw Prerequisite.Missing(ClusterBinaries.ControllerMissing);

    private ProcessStartInfo SpeakerStartInfo(LabNode node) =>
        DaemonCommands.Speaker(node, RequireSpeaker(), Kubeconfig, _options.LogLevel, _options.Memberlist, _options.SpeakerArgs);

    private ProcessStartInfo ControllerStartInfo() => DaemonCommands.Controller(RequireController(), Kubeconfig, _options.LogLevel);
}
