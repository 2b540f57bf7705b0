using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Config;

namespace MetalLb.Net.Controller;

/// <summary>
/// The controller's command line: upstream MetalLB's flag names and environment variables, so its
/// chart and manifests start this executable unchanged, plus leader election. Flags upstream
/// passes for features we do not have (the admission webhook, TLS on metrics, pprof) are
/// accepted and produce a warning at start, never a usage error.
/// </summary>
internal sealed class ControllerFlags
{
    public const int DefaultMetricsPort = 7472;

    private readonly Option<string> _namespace = new("--namespace")
    {
        Description = "Namespace of the IPAddressPools, Communities, the Lease, the ConfigurationState and the memberlist Secret " +
                      "(env METALLB_NAMESPACE; in a pod, the service account's namespace; else metallb-system).",
        DefaultValueFactory = _ => Env("METALLB_NAMESPACE") ?? ServiceAccountNamespace() ?? "metallb-system",
    };

    private readonly Option<string?> _lbClass = new("--lb-class")
    {
        Description = "Handle only Services with this spec.loadBalancerClass. Empty (default): only Services without a class.",
    };

    private readonly Option<string> _logLevel = new("--log-level")
    {
        Description = "all, debug, info, warn, error or none.",
        DefaultValueFactory = _ => "info",
    };

    private readonly Option<int> _port = new("--port")
    {
        Description = "HTTP port for /metrics (and /healthz, /readyz); 0 turns the endpoint off.",
        DefaultValueFactory = _ => DefaultMetricsPort,
    };

    private readonly Option<int> _healthPort = new("--health-probe-port")
    {
        Description = "HTTP port for /healthz and /readyz alone, as upstream's (its chart passes 17472). " +
                      "0 (default): health is served on --port only.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<string> _bind = new("--metrics-bind-address")
    {
        Description = "Address the metrics and health endpoints listen on.",
        DefaultValueFactory = _ => "0.0.0.0",
    };

    private readonly Option<string?> _kubeconfig = new("--kubeconfig")
    {
        Description = "A kubeconfig file. Default: the in-cluster service account when in a pod, else $KUBECONFIG or ~/.kube/config.",
    };

    private readonly Option<string> _mode = new("--bgp-mode")
    {
        Description = "Whose validation rules apply to Communities: frr-k8s (default), frr or native (env METALLB_BGP_TYPE).",
        DefaultValueFactory = _ => Env("METALLB_BGP_TYPE") ?? "frr-k8s",
    };

    private readonly Option<bool> _leaderElect = new("--leader-elect")
    {
        Description = "Hold a Lease before writing, so several replicas can run and one takes over when another dies.",
        DefaultValueFactory = _ => true,
    };

    private readonly Option<string> _leaseName = new("--lease-name")
    {
        Description = "Name of the Lease in --namespace.",
        DefaultValueFactory = _ => "metallb-controller",
    };

    private readonly Option<double> _leaseDuration = new("--lease-duration")
    {
        Description = "Seconds a standby waits after the last renewal before taking over (renewals every duration/7.5, give up after 2/3 of it).",
        DefaultValueFactory = _ => 15,
    };

    private readonly Option<string> _podName = new("--pod-name")
    {
        Description = "This pod's name (env METALLB_POD_NAME): the replica's identity on the Lease and in events.",
        DefaultValueFactory = _ => Env("METALLB_POD_NAME") ?? Env("POD_NAME") ?? Environment.MachineName,
    };

    private readonly Option<string?> _identity = new("--identity")
    {
        Description = "This replica's name on the Lease; default --pod-name.",
    };

    private readonly Option<string> _webhookMode = new("--webhook-mode")
    {
        Description = "enabled, disabled or onlywebhook, as upstream. MetalLb.Net serves no admission webhook yet: " +
                      "enabled runs the controller without one, onlywebhook runs nothing but the health endpoints.",
        DefaultValueFactory = _ => "enabled",
    };

    private readonly Option<string?> _mlSecretName = new("--ml-secret-name")
    {
        Description = "Create this Secret (key \"secretkey\") in --namespace when missing, for the speakers' memberlist encryption (env METALLB_ML_SECRET_NAME).",
        DefaultValueFactory = _ => Env("METALLB_ML_SECRET_NAME"),
    };

    private readonly Option<string?> _deployment = new("--deployment")
    {
        Description = "This controller's Deployment (env METALLB_DEPLOYMENT): owner of the memberlist Secret, so uninstalling removes it.",
        DefaultValueFactory = _ => Env("METALLB_DEPLOYMENT"),
    };

    // Upstream flags for features MetalLb.Net does not have: accepted so upstream's chart and
    // manifests run unchanged; a warning at start says each one is ignored and why.
    private readonly IReadOnlyList<(Option Option, string Why)> _ignored =
    [
        (new Option<bool>("--disable-cert-rotation") { Description = "Accepted; no webhook certificate to rotate." }, NoWebhook),
        (new Option<string>("--cert-dir") { Description = "Accepted; no webhook certificate." }, NoWebhook),
        (new Option<string>("--cert-service-name") { Description = "Accepted; no webhook certificate." }, NoWebhook),
        (new Option<string>("--webhook-secret") { Description = "Accepted; no webhook certificate." }, NoWebhook),
        (new Option<bool>("--webhook-http2") { Description = "Accepted; no webhook." }, NoWebhook),
        (new Option<string>("--tls-min-version") { Description = "Accepted; metrics are plain HTTP." }, PlainMetrics),
        (new Option<string>("--tls-cipher-suites") { Description = "Accepted; metrics are plain HTTP." }, PlainMetrics),
        (new Option<string>("--tls-curve-preferences") { Description = "Accepted; metrics are plain HTTP." }, PlainMetrics),
        (new Option<string>("--metrics-cert-dir") { Description = "Accepted; metrics are plain HTTP." }, PlainMetrics),
        (new Option<string>("--pprof-bind-address") { Description = "Accepted; use dotnet-counters / dotnet-trace instead." }, NoPprof),
        (new Option<bool>("--enable-pprof") { Description = "Accepted (older upstream); use dotnet-counters / dotnet-trace instead." }, NoPprof),
    ];

    private const string NoWebhook = "MetalLb.Net serves no admission webhook yet";
    private const string PlainMetrics = "the metrics endpoint is plain HTTP";
    private const string NoPprof = "there is no pprof in .NET; use dotnet-counters or dotnet-trace";

    public RootCommand Build()
    {
        var root = new RootCommand(
            "metallb-net-controller: gives LoadBalancer Services their IPs from IPAddressPools, as MetalLB's controller does.\n\n" +
            "It watches Services, Namespaces, and the IPAddressPools and Communities of --namespace; writes\n" +
            "status.loadBalancer.ingress, the metallb.io/ip-allocated-from-pool annotation, a metallb.io/IPAllocated\n" +
            "condition that says why a Service is pending, events, pool status and the ConfigurationState \"controller\".\n" +
            "Takes upstream MetalLB's flags and environment, so its chart and manifests start it unchanged.\n\n" +
            "Example (outside a cluster):\n  metallb-net-controller --kubeconfig ~/.kube/config --namespace metallb-system")
        {
            _namespace, _lbClass, _logLevel, _port, _healthPort, _bind, _kubeconfig, _mode, _leaderElect, _leaseName,
            _leaseDuration, _podName, _identity, _webhookMode, _mlSecretName, _deployment,
        };
        foreach (var (option, _) in _ignored)
            root.Options.Add(option);
        return root;
    }

    /// <summary>What the flags ask for; a bad value throws ArgumentException with the message for the user.</summary>
    public ControllerSettings Read(ParseResult parsed)
    {
        string logLevel = parsed.GetValue(_logLevel)!;
        Hosting.MetalLbHostingExtensions.ParseLevel(logLevel);
        int port = Port(parsed, _port), health = Port(parsed, _healthPort);
        string webhookMode = parsed.GetValue(_webhookMode)!.ToLowerInvariant();
        if (webhookMode is not ("enabled" or "disabled" or "onlywebhook"))
            throw new ArgumentException($"unknown --webhook-mode \"{webhookMode}\": use enabled, disabled or onlywebhook");
        double lease = parsed.GetValue(_leaseDuration);
        if (lease <= 0)
            throw new ArgumentException($"--lease-duration must be positive, not {lease.ToString(CultureInfo.InvariantCulture)}");
        var notes = new List<string>();
        foreach (var (option, why) in _ignored)
        {
            if (parsed.GetResult(option) is { Implicit: false })
                notes.Add($"{option.Name} is ignored: {why}");
        }
        if (webhookMode != "disabled" && parsed.GetResult(_webhookMode) is { Implicit: false })
            notes.Add($"--webhook-mode={webhookMode}: {NoWebhook}" + (webhookMode == "onlywebhook" ? "; this replica neither allocates nor serves a webhook" : ""));
        string podName = parsed.GetValue(_podName)!;
        var options = new ControllerOptions
        {
            Namespace = parsed.GetValue(_namespace)!,
            LoadBalancerClass = parsed.GetValue(_lbClass) is { Length: > 0 } c ? c : null,
            Mode = parsed.GetValue(_mode) switch { "native" => BgpMode.Native, "frr" => BgpMode.Frr, _ => BgpMode.FrrK8s },
            LeaderElect = parsed.GetValue(_leaderElect),
            LeaseName = parsed.GetValue(_leaseName)!,
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(lease * 2 / 3),
            RetryPeriod = TimeSpan.FromSeconds(lease * 2 / 15),
            Identity = parsed.GetValue(_identity) is { Length: > 0 } id ? id : podName,
            MemberlistSecretName = parsed.GetValue(_mlSecretName) is { Length: > 0 } s ? s : null,
            DeploymentName = parsed.GetValue(_deployment) is { Length: > 0 } d ? d : null,
        };
        return new ControllerSettings(options, parsed.GetValue(_kubeconfig), logLevel, parsed.GetValue(_bind)!, port,
            health == port ? 0 : health, Allocate: webhookMode != "onlywebhook", notes);
    }

    private static int Port(ParseResult parsed, Option<int> option)
    {
        int port = parsed.GetValue(option);
        if (port is < 0 or > 65535)
            throw new ArgumentException($"{option.Name} must be between 0 and 65535, not {port}");
        return port;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    // Upstream falls back to the pod's own namespace: the chart installs into any namespace.
    private static string? ServiceAccountNamespace()
    {
        string path = Path.Combine(InClusterConfig.DefaultDirectory, "namespace");
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } ns ? ns : null;
    }
}

/// <summary>Everything the command line decided, before anything starts.</summary>
/// <param name="HealthPort">A port for /healthz and /readyz alone; 0 = only on <paramref name="MetricsPort"/>.</param>
/// <param name="Allocate">False in --webhook-mode=onlywebhook: the process serves health and nothing else.</param>
/// <param name="Notes">Warnings to log at start (flags accepted without effect).</param>
internal sealed record ControllerSettings(
    ControllerOptions Options, string? Kubeconfig, string LogLevel, string Bind, int MetricsPort, int HealthPort,
    bool Allocate, IReadOnlyList<string> Notes);
