using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Controller.Webhooks;
using MetalLb.Net.Kube.Config;

namespace MetalLb.Net.Controller;

/// <summary>
/// The controller's command line: upstream MetalLB's flag names and environment variables, so its
/// chart and manifests start this executable unchanged, plus leader election. Flags upstream
/// passes for features we do not have (TLS on metrics, cipher suite lists, pprof) are
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
        Description = "enabled (allocate and serve the validating and conversion webhooks), disabled (allocate only) or " +
                      "onlywebhook (serve the webhooks only), as upstream. See docs/webhooks.md.",
        DefaultValueFactory = _ => "enabled",
    };

    private readonly Option<bool> _disableCertRotation = new("--disable-cert-rotation")
    {
        Description = "Do not create, rotate or inject the webhook certificate: serve tls.crt and tls.key from --cert-dir (cert-manager).",
    };

    private readonly Option<string> _certDir = new("--cert-dir")
    {
        Description = "Where tls.crt and tls.key are read from with --disable-cert-rotation.",
        DefaultValueFactory = _ => WebhookSettings.DefaultCertDir,
    };

    private readonly Option<string> _certServiceName = new("--cert-service-name")
    {
        Description = "The webhook Service: the certificate is made for <name>.<namespace>.svc.",
        DefaultValueFactory = _ => WebhookSettings.DefaultServiceName,
    };

    private readonly Option<string> _webhookSecret = new("--webhook-secret")
    {
        Description = "The Secret in --namespace holding the webhook's CA and serving certificate; all replicas share it.",
        DefaultValueFactory = _ => WebhookSettings.DefaultSecretName,
    };

    private readonly Option<bool> _webhookHttp2 = new("--webhook-http2")
    {
        Description = "Serve the webhooks over HTTP/2 as well as HTTP/1.1 (off by default, as upstream).",
    };

    private readonly Option<string?> _tlsMinVersion = new("--tls-min-version")
    {
        Description = "Lowest TLS version the webhook accepts: VersionTLS12 or VersionTLS13 (default, as upstream).",
    };

    private readonly Option<int> _webhookPort = new("--webhook-port")
    {
        Description = "HTTPS port of the webhooks (MetalLb.Net; upstream's fixed 9443).",
        DefaultValueFactory = _ => WebhookSettings.DefaultPort,
    };

    private readonly Option<string> _webhookBind = new("--webhook-bind-address")
    {
        Description = "Address the webhooks listen on (MetalLb.Net).",
        DefaultValueFactory = _ => "0.0.0.0",
    };

    private readonly Option<double> _certValidity = new("--cert-validity")
    {
        Description = "Seconds a webhook serving certificate is valid (MetalLb.Net); renewed with a third left, the CA lives four times as long. Default one year.",
        DefaultValueFactory = _ => TimeSpan.FromDays(365).TotalSeconds,
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
        (new Option<string>("--tls-cipher-suites") { Description = "Accepted; the webhook uses the platform's TLS 1.2 suites and metrics are plain HTTP." }, PlatformTls),
        (new Option<string>("--tls-curve-preferences") { Description = "Accepted; the webhook uses the platform's curves and metrics are plain HTTP." }, PlatformTls),
        (new Option<string>("--metrics-cert-dir") { Description = "Accepted; metrics are plain HTTP." }, PlainMetrics),
        (new Option<string>("--pprof-bind-address") { Description = "Accepted; use dotnet-counters / dotnet-trace instead." }, NoPprof),
        (new Option<bool>("--enable-pprof") { Description = "Accepted (older upstream); use dotnet-counters / dotnet-trace instead." }, NoPprof),
    ];

    private const string PlatformTls = "the webhook uses the platform's (OpenSSL's) choice and the metrics endpoint is plain HTTP";
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
            _disableCertRotation, _certDir, _certServiceName, _webhookSecret, _webhookHttp2, _tlsMinVersion,
            _webhookPort, _webhookBind, _certValidity,
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
        double validity = parsed.GetValue(_certValidity);
        if (validity < 1)
            throw new ArgumentException($"--cert-validity must be at least 1 second, not {validity.ToString(CultureInfo.InvariantCulture)}");
        string ns = parsed.GetValue(_namespace)!;
        var webhook = new WebhookSettings
        {
            Enabled = webhookMode != "disabled",
            Namespace = ns,
            Port = Port(parsed, _webhookPort),
            BindAddress = System.Net.IPAddress.TryParse(parsed.GetValue(_webhookBind), out var bindIp)
                ? bindIp.ToString() : throw new ArgumentException($"--webhook-bind-address \"{parsed.GetValue(_webhookBind)}\" is not an IP address"),
            DisableCertRotation = parsed.GetValue(_disableCertRotation),
            CertDir = parsed.GetValue(_certDir)!,
            ServiceName = parsed.GetValue(_certServiceName)!,
            SecretName = parsed.GetValue(_webhookSecret)!,
            Http2 = parsed.GetValue(_webhookHttp2),
            Protocols = parsed.GetValue(_tlsMinVersion) switch
            {
                null or "" or "VersionTLS13" => System.Security.Authentication.SslProtocols.Tls13,
                "VersionTLS12" => System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                var v => throw new ArgumentException($"unknown --tls-min-version \"{v}\": use VersionTLS12 or VersionTLS13"),
            },
            CertValidity = TimeSpan.FromSeconds(validity),
        };
        if (webhook.Enabled && webhook.Port == 0)
            throw new ArgumentException("--webhook-port must not be 0 while --webhook-mode is enabled or onlywebhook");
        string podName = parsed.GetValue(_podName)!;
        var options = new ControllerOptions
        {
            Namespace = ns,
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
            health == port ? 0 : health, Allocate: webhookMode != "onlywebhook", webhook, notes);
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
/// <param name="Allocate">False in --webhook-mode=onlywebhook: the process serves the webhooks and health, and allocates nothing.</param>
/// <param name="Webhook">The webhooks (Enabled false in --webhook-mode=disabled).</param>
/// <param name="Notes">Warnings to log at start (flags accepted without effect).</param>
internal sealed record ControllerSettings(
    ControllerOptions Options, string? Kubeconfig, string LogLevel, string Bind, int MetricsPort, int HealthPort,
    bool Allocate, Webhooks.WebhookSettings Webhook, IReadOnlyList<string> Notes);
