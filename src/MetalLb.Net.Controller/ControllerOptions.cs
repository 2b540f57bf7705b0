using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Controller;

/// <summary>What the controller is told on its command line (upstream's flags where they exist).</summary>
public sealed record ControllerOptions
{
    /// <summary>Where the IPAddressPools, Communities, the Lease and the ConfigurationState live.</summary>
    public string Namespace { get; init; } = "metallb-system";

    /// <summary>--lb-class: empty handles Services without a class; set, only Services of that class.</summary>
    public string? LoadBalancerClass { get; init; }

    /// <summary>Which BGP implementation's rules the configuration is validated against (METALLB_BGP_TYPE).</summary>
    public BgpMode Mode { get; init; } = BgpMode.FrrK8s;

    /// <summary>Campaign for a Lease before writing, so replicas can run side by side.</summary>
    public bool LeaderElect { get; init; } = true;

    public string LeaseName { get; init; } = "metallb-controller";

    /// <summary>This replica's name on the Lease (the pod name in a cluster).</summary>
    public string Identity { get; init; } = Environment.MachineName + "-" + Guid.NewGuid().ToString("N")[..8];

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Service writes in flight at once. Decisions are serial; only their writes overlap.</summary>
    public int WriteConcurrency { get; init; } = 8;

    /// <summary>The name of the ConfigurationState this component reports into.</summary>
    public string ConfigurationStateName { get; init; } = "controller";

    /// <summary>--ml-secret-name: the memberlist Secret created in <see cref="Namespace"/> when missing; null creates none.</summary>
    public string? MemberlistSecretName { get; init; }

    /// <summary>--deployment: this controller's Deployment, owner of the memberlist Secret; null leaves the Secret unowned.</summary>
    public string? DeploymentName { get; init; }
}
