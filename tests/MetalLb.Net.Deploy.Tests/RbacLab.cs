using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.KubeEmulator;
using MetalLb.Net.TestKit;
using MetalLb.Net.Lab;
using MetalLb.Net.TestKit.ClusterLab;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The chart's objects (RBAC included, possibly with one rule taken out) applied to the
/// emulator, and the real controller and speaker started the way the Deployment and DaemonSet
/// start them, each with a token of its own ServiceAccount, so RBAC decides what they may do.
/// The speaker runs in a node network namespace (its L2 sockets never touch this machine's
/// links) and reaches the API through a loopback forwarder there. Every RBAC decision about
/// the two ServiceAccounts is kept in <see cref="Decisions"/>.
/// </summary>
public sealed class RbacLab : IAsyncDisposable
{
    public const string NodeName = "node1";

    /// <summary>
    /// --cert-validity the controller gets here: one minute, so the Secret is re-read every five
    /// seconds and the serving certificate renewed within the run (rotation is part of what the
    /// RBAC must allow). The chart leaves it at upstream's one year.
    /// </summary>
    public const int CertValiditySeconds = 60;

    public const string WebhookService = "metallb-webhook-service";

    private readonly ConcurrentQueue<AuthorizationRecord> _decisions = new();
    private EmulatorOptions _options = null!;
    private NamespaceSockets? _nodeSockets;
    private ApiForwarder? _forwarder;

    private RbacLab(Manifest chart) => Chart = chart;

    public Manifest Chart { get; }

    public EmulatorLab Emulator { get; private set; } = null!;

    public AdminApi Admin { get; private set; } = null!;

    public string Dir { get; } = Directory.CreateTempSubdirectory("mlb-rbac-").FullName;

    public ClusterNetwork? Network { get; private set; }

    public LabHost? Node { get; private set; }

    public LabProcess? Controller { get; private set; }

    public LabProcess? Speaker { get; private set; }

    public IReadOnlyCollection<AuthorizationRecord> Decisions => _decisions;

    public JsonObject Deployment => Chart.Single("Deployment");

    public JsonObject DaemonSet => Chart.Single("DaemonSet");

    /// <summary>Whether the chart renders the webhooks (controller.webhookMode other than disabled).</summary>
    public bool WebhooksEnabled => Chart.OfKind("ValidatingWebhookConfiguration").Any();

    /// <summary>The loopback port the controller's webhooks listen on (0 before it starts, or without webhooks).</summary>
    public int WebhookPort { get; private set; }

    public static string ServiceAccountOf(JsonObject workload) => (string)workload["spec"]!["template"]!["spec"]!["serviceAccountName"]!;

    public string UserOf(JsonObject workload) => $"system:serviceaccount:{Helm.Namespace}:{ServiceAccountOf(workload)}";

    /// <summary>The emulator with the CRDs, the release namespace and every object of <paramref name="chart"/>.</summary>
    public static async Task<RbacLab> StartAsync(Manifest chart)
    {
        var lab = new RbacLab(chart);
        try
        {
            lab._options = new EmulatorOptions { AuthorizationLog = lab._decisions.Enqueue };
            lab.Emulator = await EmulatorLab.StartAsync(lab._options, true, Helm.Namespace);
            lab.Admin = new AdminApi(lab.Emulator.Server.CreateHttpClient());
            foreach (var obj in chart.Objects)
                await lab.Emulator.Client.Generic(InfoOf(obj)).CreateAsync(GenericObject.Parse(obj.ToJsonString()));
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where a rendered object is served: core or group, plural, namespaced (the kinds the chart renders).</summary>
    private static ResourceInfo InfoOf(JsonObject o)
    {
        string apiVersion = (string)o["apiVersion"]!, kind = (string)o["kind"]!;
        int slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        string group = slash < 0 ? "" : apiVersion[..slash], version = apiVersion[(slash + 1)..];
        bool clusterScoped = kind is "ClusterRole" or "ClusterRoleBinding" or "Namespace" or "CustomResourceDefinition"
            or "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration";
        return new ResourceInfo(group, version, kind.ToLowerInvariant() + "s", kind, !clusterScoped);
    }

    /// <summary>A kubeconfig for the emulator authenticating as the ServiceAccount <paramref name="workload"/> runs as.</summary>
    public string KubeconfigFor(JsonObject workload)
    {
        string account = ServiceAccountOf(workload);
        string path = Path.Combine(Dir, $"kubeconfig-{account}");
        Emulator.Server.WriteKubeconfig(path, Emulator.Server.CreateServiceAccountToken(Helm.Namespace, account));
        return path;
    }

    /// <summary>The controller with the Deployment's args and env, on this machine's loopback.</summary>
    public void StartController(string podName)
    {
        var psi = PodStartInfo(Deployment, ClusterLab.RequireController(), new Dictionary<string, string>
        {
            ["metadata.name"] = podName,
            ["metadata.namespace"] = Helm.Namespace,
        }, overrides: null);
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(KubeconfigFor(Deployment));
        psi.ArgumentList.Add("--metrics-bind-address=127.0.0.1");
        foreach (string a in WebhookArgs())
            psi.ArgumentList.Add(a);
        Controller = new LabProcess("controller", Path.Combine(Dir, "controller.log"), () => psi);
        Controller.Start();
    }

    /// <summary>
    /// The controller's extra args for its webhooks (none without them): a pod has 9443 to
    /// itself, but on a shared machine the webhooks take a free loopback port, and the emulator
    /// sends the webhook Service's calls there (as the EndpointSlice of the ready controller Pod
    /// would). Also a short --cert-validity, so rotation happens within a run.
    /// </summary>
    public IReadOnlyList<string> WebhookArgs()
    {
        if (!WebhooksEnabled)
            return [];
        WebhookPort = Kubelet.FreePort();
        _options.WebhookServices[$"{Helm.Namespace}/{WebhookService}"] = $"127.0.0.1:{WebhookPort}";
        return ["--webhook-bind-address=127.0.0.1", $"--webhook-port={WebhookPort}", $"--cert-validity={CertValiditySeconds}"];
    }

    /// <summary>A node namespace on a one-bridge LAN, with the Node object and the speaker Pod a kubelet would write.</summary>
    public async Task AddNodeAsync(string speakerPodName)
    {
        Network = new ClusterNetwork();
        Node = Network.AddHost(NodeName, 11, "02:00:00:00:00:01");
        _nodeSockets = new NamespaceSockets(Node.Namespace);
        _forwarder = new ApiForwarder(_nodeSockets, Emulator.Server.BaseAddress.Port);
        await Admin.CreateAsync("api/v1/nodes", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = NodeName,
                ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = NodeName, ["kubernetes.io/os"] = "linux" },
            },
        });
        await Admin.MergePatchAsync($"api/v1/nodes/{NodeName}/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = Node.IPv4 }),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        });
        string labels = (string)Kubelet.Env(DaemonSet)["METALLB_ML_LABELS"]!["value"]!;
        await Admin.CreateAsync($"api/v1/namespaces/{Helm.Namespace}/pods", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = speakerPodName,
                ["labels"] = new JsonObject(labels.Split(',').Select(kv => KeyValuePair.Create(kv.Split('=')[0], (JsonNode?)kv.Split('=')[1]))),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = NodeName,
                ["hostNetwork"] = true,
                ["serviceAccountName"] = ServiceAccountOf(DaemonSet),
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "speaker", ["image"] = "metallb-net-speaker:test" }),
            },
        });
        await Admin.MergePatchAsync($"api/v1/namespaces/{Helm.Namespace}/pods/{speakerPodName}/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["hostIP"] = Node.IPv4,
                ["podIP"] = Node.IPv4,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        });
    }

    /// <summary>
    /// The speaker in the node namespace with the DaemonSet's args and env; the memberlist key
    /// file the Secret volume would mount is <paramref name="secretKeyFile"/>.
    /// </summary>
    public void StartSpeaker(string podName, string secretKeyFile)
    {
        var node = Node ?? throw new InvalidOperationException("AddNodeAsync first");
        var psi = PodStartInfo(DaemonSet, ClusterLab.RequireSpeaker(), SpeakerFieldRefs(podName),
            new Dictionary<string, string> { ["METALLB_ML_SECRET_KEY_PATH"] = secretKeyFile });
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(KubeconfigFor(DaemonSet));
        // ip netns exec execs the program: the PID LabProcess signals is the speaker's own.
        string[] prefix = ["netns", "exec", node.Namespace, ClusterBinaries.Dotnet];
        for (int i = 0; i < prefix.Length; i++)
            psi.ArgumentList.Insert(i, prefix[i]);
        psi.FileName = LabShell.Which("ip") ?? "ip";
        Speaker = new LabProcess("speaker", Path.Combine(Dir, "speaker.log"), () => psi);
        Speaker.Start();
    }

    /// <summary>An HttpClient to the speaker's metrics port inside the node.</summary>
    public HttpClient SpeakerHttp(int port) => _nodeSockets!.HttpClient(new Uri($"http://127.0.0.1:{port}/"));

    /// <summary>dotnet &lt;dll&gt; with the container's args and env, fieldRefs resolved as the kubelet would.</summary>
    private static ProcessStartInfo PodStartInfo(JsonObject workload, string dll, Dictionary<string, string> fieldRefs, Dictionary<string, string>? overrides)
    {
        var psi = new ProcessStartInfo(ClusterBinaries.Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (string a in Manifest.Args(workload))
            psi.ArgumentList.Add(a);
        foreach (string name in psi.Environment.Keys.Where(k => k.StartsWith("METALLB_", StringComparison.Ordinal) || k is "KUBECONFIG" or "POD_NAME").ToList())
            psi.Environment.Remove(name);
        foreach (var (name, value) in ResolveEnv(workload, fieldRefs, overrides))
            psi.Environment[name] = value;
        return psi;
    }

    /// <summary>The container's env with fieldRefs resolved from <paramref name="fieldRefs"/> and <paramref name="overrides"/> applied.</summary>
    public static Dictionary<string, string> ResolveEnv(JsonObject workload, IReadOnlyDictionary<string, string> fieldRefs, IReadOnlyDictionary<string, string>? overrides)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, e) in Kubelet.Env(workload))
        {
            env[name] = overrides?.GetValueOrDefault(name) ?? (string?)e!["value"]
                ?? fieldRefs.GetValueOrDefault((string?)e["valueFrom"]?["fieldRef"]?["fieldPath"] ?? "")
                ?? throw new Xunit.Sdk.XunitException($"env {name}: the test does not resolve {e.ToJsonString()}");
        }
        return env;
    }

    /// <summary>The fieldRefs a kubelet resolves for the speaker Pod on the lab's node.</summary>
    public Dictionary<string, string> SpeakerFieldRefs(string podName) => new()
    {
        ["spec.nodeName"] = NodeName,
        ["metadata.name"] = podName,
        ["metadata.namespace"] = Helm.Namespace,
        ["status.hostIP"] = Node!.IPv4,
        ["status.podIP"] = Node.IPv4,
    };

    /// <summary>Both programs' logs, for a failure message.</summary>
    public string Describe() =>
        string.Join('\n', new[] { Controller, Speaker }.Where(p => p is not null).Select(p => $"--- {p!.Name} ---\n{Tail(p.ReadLog(), 60)}"));

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        Speaker?.Kill();
        Controller?.Kill();
        Speaker?.Dispose();
        Controller?.Dispose();
        if (_forwarder is not null)
            await _forwarder.DisposeAsync();
        _nodeSockets?.Dispose();
        Admin?.Dispose();
        if (Emulator is not null)
            await Emulator.DisposeAsync();
        Network?.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
