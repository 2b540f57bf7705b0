using System.CommandLine;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Hosting;

namespace MetalLb.Net.Speaker;

/// <summary>
/// The speaker's command line: upstream's flag names and environment variables, so our image
/// drops into upstream's DaemonSet, and the upstream flags we accept but ignore, each with why.
/// </summary>
internal sealed class SpeakerFlags
{
    /// <summary>Upstream speaker flags accepted for compatibility and ignored, with why.</summary>
    private static readonly (string Flag, string Why)[] IgnoredFlags =
    [
        ("--ml-wan-config", "memberlist's WAN timers are not offered; use --ml-profile lan"),
        ("--enable-pprof", "there is no Go profiler; use dotnet-trace or dotnet-counters"),
        ("--tls-min-version", "metrics are served over plain HTTP"),
        ("--tls-cipher-suites", "metrics are served over plain HTTP"),
        ("--health-probe-port", "health is served on --port"),
        ("--frr-k8s-namespace", "the BGP engine runs in-process; there is no frr-k8s"),
        ("--host", "the node's addresses come from its interfaces"),
    ];

    private readonly Option<string?> _node = Flag<string?>("--node-name", "This node's name. Required.", "METALLB_NODE_NAME", null);
    private readonly Option<string> _pod = Flag("--pod-name", "This speaker's Pod, owner of the status objects it writes.", "METALLB_POD_NAME", "");
    private readonly Option<string> _ns = Flag("--namespace", "MetalLB's namespace: its objects, Secrets and status objects.", "METALLB_NAMESPACE", "metallb-system");
    private readonly Option<string?> _lbClass = Flag<string?>("--lb-class", "Announce only Services with this spec.loadBalancerClass. Empty (default): only Services without a class.", null, null);
    private readonly Option<int> _port = Flag("--port", "HTTP port for /metrics, /healthz and /readyz; 0 turns the endpoint off.", null, 7472);
    private readonly Option<string> _bind = Flag("--metrics-bind-address", "Address the metrics endpoint listens on.", null, "0.0.0.0");
    private readonly Option<string> _logLevel = Flag("--log-level", "all, debug, info, warn, error or none.", null, "info");
    private readonly Option<string?> _kubeconfig = Flag<string?>("--kubeconfig", "A kubeconfig file. Default: the in-cluster service account when in a pod, else $KUBECONFIG or ~/.kube/config.", null, null);
    private readonly Option<bool> _ignoreExclude = Flag("--ignore-exclude-lb", "Announce from nodes labelled node.kubernetes.io/exclude-from-external-load-balancers too.", null, false);
    private readonly Option<string> _mode = Flag("--bgp-mode", "Whose validation rules apply: frr-k8s (default), frr or native. BGP always runs in-process.", "METALLB_BGP_TYPE", "frr-k8s");
    private readonly Option<string?> _mlBind = Flag<string?>("--ml-bindaddr", "Address memberlist binds and advertises. Memberlist runs only with --ml-labels too.", "METALLB_ML_BIND_ADDR", null);
    private readonly Option<int> _mlPort = Flag("--ml-bindport", "Memberlist TCP and UDP port.", "METALLB_ML_BIND_PORT", 7946);
    private readonly Option<string?> _mlLabels = Flag<string?>("--ml-labels", "Label selector of the speaker Pods to join, e.g. app=metallb,component=speaker.", "METALLB_ML_LABELS", null);
    private readonly Option<string?> _mlNamespace = Flag<string?>("--ml-namespace", "Namespace of the speaker Pods; default --namespace.", "METALLB_ML_NAMESPACE", null);
    private readonly Option<string?> _mlSecret = Flag<string?>("--ml-secret-key-path", "The memberlist Secret's key: the file, or the folder the Secret is mounted at (its secretkey); none: unencrypted gossip.", "METALLB_ML_SECRET_KEY_PATH", null);
    private readonly Option<string> _mlProfile = Flag("--ml-profile", "Gossip timers: fast (sub-second failover, default) or lan (memberlist's own, to mix with upstream speakers).", null, "fast");
    private readonly Option<string> _excludeL2 = Flag("--excludel2-path", "Upstream's interface exclusion file (ConfigMap metallb-excludel2); missing: the built-in list.", null, "/etc/metallb/excludel2.yaml");
    private readonly List<Option<string?>> _ignored = [.. IgnoredFlags.Select(i => new Option<string?>(i.Flag)
    {
        Description = $"Accepted for upstream compatibility and ignored: {i.Why}.",
        Arity = ArgumentArity.ZeroOrOne,
    })];

    public void AddTo(RootCommand root)
    {
        foreach (Option option in (Option[])[_node, _pod, _ns, _lbClass, _port, _bind, _logLevel, _kubeconfig, _ignoreExclude, _mode,
                     _mlBind, _mlPort, _mlLabels, _mlNamespace, _mlSecret, _mlProfile, _excludeL2, .. _ignored])
            root.Options.Add(option);
    }

    /// <summary>The speaker's options from the flags; an ArgumentException says which flag is wrong.</summary>
    public SpeakerOptions Read(ParseResult parsed)
    {
        MetalLbHostingExtensions.ParseLevel(parsed.GetValue(_logLevel));   // a bad level is a usage error before anything starts
        return new SpeakerOptions
        {
            NodeName = parsed.GetValue(_node) is { Length: > 0 } n ? n
                : throw new ArgumentException("--node-name (or METALLB_NODE_NAME) is required"),
            PodName = parsed.GetValue(_pod)!,
            Namespace = parsed.GetValue(_ns)!,
            LoadBalancerClass = parsed.GetValue(_lbClass) is { Length: > 0 } c ? c : null,
            Mode = ParseMode(parsed.GetValue(_mode)),
            IgnoreExcludeLabel = parsed.GetValue(_ignoreExclude),
            MemberlistBindAddress = parsed.GetValue(_mlBind),
            MemberlistBindPort = parsed.GetValue(_mlPort),
            MemberlistLabels = parsed.GetValue(_mlLabels),
            MemberlistNamespace = parsed.GetValue(_mlNamespace) is { Length: > 0 } m ? m : null,
            MemberlistSecretKeyPath = parsed.GetValue(_mlSecret),
            MemberlistProfile = parsed.GetValue(_mlProfile) switch
            {
                "fast" => MemberlistProfile.Fast,
                "lan" => MemberlistProfile.Lan,
                var other => throw new ArgumentException($"--ml-profile must be fast or lan, not '{other}'"),
            },
            ExcludeL2Path = parsed.GetValue(_excludeL2)!,
        };
    }

    public string? Kubeconfig(ParseResult parsed) => parsed.GetValue(_kubeconfig);

    public string LogLevel(ParseResult parsed) => parsed.GetValue(_logLevel)!;

    public string Bind(ParseResult parsed) => parsed.GetValue(_bind)!;

    public int Port(ParseResult parsed) => parsed.GetValue(_port);

    /// <summary>One line per ignored upstream flag that was given.</summary>
    public IReadOnlyList<string> Warnings(ParseResult parsed) =>
        [.. _ignored.Zip(IgnoredFlags)
            .Where(p => parsed.GetResult(p.First) is not null)
            .Select(p => $"{p.Second.Flag} is accepted for compatibility with upstream MetalLB and ignored: {p.Second.Why}")];

    private static Option<T> Flag<T>(string name, string description, string? env, T fallback) =>
        DaemonHost.Flag(name, description, env, fallback);

    private static BgpMode ParseMode(string? mode) => mode switch
    {
        "native" => BgpMode.Native,
        "frr" => BgpMode.Frr,
        "frr-k8s" or null or "" => BgpMode.FrrK8s,
        _ => throw new ArgumentException($"--bgp-mode must be frr-k8s, frr or native, not '{mode}'"),
    };
}
