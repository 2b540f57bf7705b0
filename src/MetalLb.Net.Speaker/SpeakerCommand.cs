using System.CommandLine;
using System.Globalization;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Config;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker;

/// <summary>
/// `metallb-net-speaker`: upstream's speaker flags and environment, so our image drops into
/// upstream's DaemonSet. Upstream flags we do not implement are accepted with a warning. Exit
/// code 2 for a usage error or a Kubernetes connection that cannot be configured.
/// </summary>
public static class SpeakerCommand
{
    /// <summary>Upstream speaker flags accepted for compatibility and ignored, with why.</summary>
    private static readonly (string Flag, string Why)[] Ignored =
    [
        ("--ml-wan-config", "memberlist's WAN timers are not offered; use --ml-profile lan"),
        ("--enable-pprof", "there is no Go profiler; use dotnet-trace or dotnet-counters"),
        ("--tls-min-version", "metrics are served over plain HTTP"),
        ("--tls-cipher-suites", "metrics are served over plain HTTP"),
        ("--health-probe-port", "health is served on --port"),
        ("--frr-k8s-namespace", "the BGP engine runs in-process; there is no frr-k8s"),
        ("--host", "the node's addresses come from its interfaces"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var node = Flag<string?>("--node-name", "This node's name. Required.", "METALLB_NODE_NAME", null);
        var pod = Flag<string>("--pod-name", "This speaker's Pod, owner of the status objects it writes.", "METALLB_POD_NAME", "");
        var ns = Flag<string>("--namespace", "MetalLB's namespace: its objects, Secrets and status objects.", "METALLB_NAMESPACE", "metallb-system");
        var lbClass = Flag<string?>("--lb-class", "Announce only Services with this spec.loadBalancerClass. Empty (default): only Services without a class.", null, null);
        var port = Flag<int>("--port", "HTTP port for /metrics, /healthz and /readyz; 0 turns the endpoint off.", null, 7472);
        var bind = Flag<string>("--metrics-bind-address", "Address the metrics endpoint listens on.", null, "0.0.0.0");
        var logLevel = Flag<string>("--log-level", "all, debug, info, warn, error or none.", null, "info");
        var kubeconfig = Flag<string?>("--kubeconfig", "A kubeconfig file. Default: the in-cluster service account when in a pod, else $KUBECONFIG or ~/.kube/config.", null, null);
        var ignoreExclude = Flag<bool>("--ignore-exclude-lb", "Announce from nodes labelled node.kubernetes.io/exclude-from-external-load-balancers too.", null, false);
        var mode = Flag<string>("--bgp-mode", "Whose validation rules apply: frr-k8s (default), frr or native. BGP always runs in-process.", "METALLB_BGP_TYPE", "frr-k8s");
        var mlBind = Flag<string?>("--ml-bindaddr", "Address memberlist binds and advertises. Memberlist runs only with --ml-labels too.", "METALLB_ML_BIND_ADDR", null);
        var mlPort = Flag<int>("--ml-bindport", "Memberlist TCP and UDP port.", "METALLB_ML_BIND_PORT", 7946);
        var mlLabels = Flag<string?>("--ml-labels", "Label selector of the speaker Pods to join, e.g. app=metallb,component=speaker.", "METALLB_ML_LABELS", null);
        var mlNamespace = Flag<string?>("--ml-namespace", "Namespace of the speaker Pods; default --namespace.", "METALLB_ML_NAMESPACE", null);
        var mlSecret = Flag<string?>("--ml-secret-key-path", "The memberlist Secret's key: the file, or the folder the Secret is mounted at (its secretkey); none: unencrypted gossip.", "METALLB_ML_SECRET_KEY_PATH", null);
        var mlProfile = Flag<string>("--ml-profile", "Gossip timers: fast (sub-second failover, default) or lan (memberlist's own, to mix with upstream speakers).", null, "fast");
        var excludeL2 = Flag<string>("--excludel2-path", "Upstream's interface exclusion file (ConfigMap metallb-excludel2); missing: the built-in list.", null, "/etc/metallb/excludel2.yaml");
        var ignored = Ignored.Select(i => new Option<string?>(i.Flag)
        {
            Description = $"Accepted for upstream compatibility and ignored: {i.Why}.",
            Arity = ArgumentArity.ZeroOrOne,
        }).ToList();

        var root = new RootCommand(
            "metallb-net-speaker: makes the IPs the controller hands out reachable from this node, as MetalLB's speaker does.\n\n" +
            "Layer 2: the one node Core elects for an IP answers ARP and NDP for it; the live speakers are learned by\n" +
            "memberlist gossip. BGP: every eligible node announces to the BGPPeers that select it (ECMP), in-process,\n" +
            "with IPv6, communities, MD5 and graceful restart. Writes ServiceL2Status, ServiceBGPStatus, the\n" +
            "ConfigurationState speaker-<node> and nodeAssigned events.\n\n" +
            "Example (outside a cluster, as root):\n" +
            "  metallb-net-speaker --kubeconfig ~/.kube/config --node-name node-a \\\n" +
            "    --ml-bindaddr 192.0.2.11 --ml-labels app=metallb,component=speaker")
        {
            node, pod, ns, lbClass, port, bind, logLevel, kubeconfig, ignoreExclude, mode,
            mlBind, mlPort, mlLabels, mlNamespace, mlSecret, mlProfile, excludeL2,
        };
        foreach (var option in ignored)
            root.Options.Add(option);

        int exit = 0;
        root.SetAction(async (parsed, ct) =>
        {
            LogLevel level;
            KubeClientOptions kube;
            SpeakerOptions options;
            try
            {
                level = MetalLbHostingExtensions.ParseLevel(parsed.GetValue(logLevel));
                options = new SpeakerOptions
                {
                    NodeName = parsed.GetValue(node) is { Length: > 0 } n ? n
                        : throw new ArgumentException("--node-name (or METALLB_NODE_NAME) is required"),
                    PodName = parsed.GetValue(pod)!,
                    Namespace = parsed.GetValue(ns)!,
                    LoadBalancerClass = parsed.GetValue(lbClass) is { Length: > 0 } c ? c : null,
                    Mode = ParseMode(parsed.GetValue(mode)),
                    IgnoreExcludeLabel = parsed.GetValue(ignoreExclude),
                    MemberlistBindAddress = parsed.GetValue(mlBind),
                    MemberlistBindPort = parsed.GetValue(mlPort),
                    MemberlistLabels = parsed.GetValue(mlLabels),
                    MemberlistNamespace = parsed.GetValue(mlNamespace) is { Length: > 0 } m ? m : null,
                    MemberlistSecretKeyPath = parsed.GetValue(mlSecret),
                    MemberlistProfile = parsed.GetValue(mlProfile) switch
                    {
                        "fast" => MemberlistProfile.Fast,
                        "lan" => MemberlistProfile.Lan,
                        var other => throw new ArgumentException($"--ml-profile must be fast or lan, not '{other}'"),
                    },
                    ExcludeL2Path = parsed.GetValue(excludeL2)!,
                };
                kube = LoadKubeConfig(parsed.GetValue(kubeconfig));
            }
            catch (Exception e) when (e is ArgumentException or KubeConfigException or IOException)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                exit = 2;
                return;
            }
            var warnings = ignored.Zip(Ignored)
                .Where(p => parsed.GetResult(p.First) is not null)
                .Select(p => $"{p.Second.Flag} is accepted for compatibility with upstream MetalLB and ignored: {p.Second.Why}")
                .ToList();
            await RunHostAsync(options, kube, parsed.GetValue(logLevel)!, parsed.GetValue(bind)!, parsed.GetValue(port), warnings, ct).ConfigureAwait(false);
        });
        return await DaemonHost.InvokeAsync(root, args, "metallb-net-speaker", () => exit).ConfigureAwait(false);
    }

    private static Option<T> Flag<T>(string name, string description, string? env, T fallback) =>
        DaemonHost.Flag(name, description, env, fallback);

    private static BgpMode ParseMode(string? mode) => mode switch
    {
        "native" => BgpMode.Native,
        "frr" => BgpMode.Frr,
        "frr-k8s" or null or "" => BgpMode.FrrK8s,
        _ => throw new ArgumentException($"--bgp-mode must be frr-k8s, frr or native, not '{mode}'"),
    };

    private static KubeClientOptions LoadKubeConfig(string? path) =>
        path is { Length: > 0 } ? KubeConfigLoader.LoadFiles([path]) : InClusterConfig.LoadDefault();

    private static Task RunHostAsync(SpeakerOptions options, KubeClientOptions kube, string logLevel, string bind, int port,
        IReadOnlyList<string> warnings, CancellationToken ct) =>
        DaemonHost.RunAsync((services, logging) => AddSpeaker(services, logging, options, kube, logLevel, warnings), bind, port, ct);

    private static void AddSpeaker(IServiceCollection services, ILoggingBuilder logging, SpeakerOptions options, KubeClientOptions kube,
        string logLevel, IReadOnlyList<string> warnings)
    {
        logging.AddMetalLbLogging(logLevel);
        services.AddMetalLbHosting();
        services.AddSingleton(options);
        services.AddSingleton(_ => new KubeClient(kube));
        // A short grace so SIGTERM can leave gossip, stop BGP and let the last writes land.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.AddHostedService(sp => new SpeakerService(sp, warnings));
    }

    private sealed class SpeakerService(IServiceProvider services, IReadOnlyList<string> warnings) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var runtime = new SpeakerRuntime(
                services.GetRequiredService<KubeClient>(),
                services.GetRequiredService<SpeakerOptions>(),
                services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
                services.GetRequiredService<ReadinessGate>(),
                services.GetRequiredService<ILoggerFactory>());
            return runtime.RunAsync(warnings, stoppingToken);
        }
    }
}
