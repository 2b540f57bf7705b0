using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Speaker;

/// <summary>Gossip timers: ours (sub-second failover) or memberlist's own, for clusters that mix in upstream speakers.</summary>
public enum MemberlistProfile
{
    Fast,
    Lan,
}

/// <summary>What the speaker is told on its command line and environment (upstream's names where they exist).</summary>
public sealed record SpeakerOptions
{
    /// <summary>This speaker's node (METALLB_NODE_NAME, the pod's spec.nodeName).</summary>
    public required string NodeName { get; init; }

    /// <summary>This speaker's Pod, the owner of the status objects it writes (METALLB_POD_NAME).</summary>
    public string PodName { get; init; } = "";

    /// <summary>MetalLB's namespace: the metallb.io objects, Secrets, status objects.</summary>
    public string Namespace { get; init; } = "metallb-system";

    /// <summary>--lb-class: empty handles Services without a class; set, only Services of that class.</summary>
    public string? LoadBalancerClass { get; init; }

    /// <summary>Whose validation rules apply (METALLB_BGP_TYPE). The BGP engine is always our own, in-process.</summary>
    public BgpMode Mode { get; init; } = BgpMode.FrrK8s;

    /// <summary>--ignore-exclude-lb: announce from nodes labelled exclude-from-external-load-balancers too.</summary>
    public bool IgnoreExcludeLabel { get; init; }

    public string? MemberlistBindAddress { get; init; }

    public int MemberlistBindPort { get; init; } = 7946;

    /// <summary>Label selector of the speaker Pods to join.</summary>
    public string? MemberlistLabels { get; init; }

    /// <summary>Where the speaker Pods are listed; defaults to <see cref="Namespace"/>.</summary>
    public string? MemberlistNamespace { get; init; }

    /// <summary>File holding the memberlist Secret's secretkey; none = unencrypted gossip.</summary>
    public string? MemberlistSecretKeyPath { get; init; }

    public MemberlistProfile MemberlistProfile { get; init; } = MemberlistProfile.Fast;

    /// <summary>Upstream's interface exclusion file (ConfigMap metallb-excludel2).</summary>
    public string ExcludeL2Path { get; init; } = "/etc/metallb/excludel2.yaml";

    /// <summary>As upstream: memberlist runs only when both its bind address and its labels are set.</summary>
    public bool MemberlistEnabled => MemberlistBindAddress is { Length: > 0 } && MemberlistLabels is { Length: > 0 };

    /// <summary>The ConfigurationState this speaker reports into.</summary>
    public string ConfigurationStateName => "speaker-" + NodeName;
}
