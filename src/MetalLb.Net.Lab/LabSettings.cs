namespace MetalLb.Net.Lab;

/// <summary>Which of MetalLB's modes the lab's sample configuration sets up.</summary>
public enum LabMode
{
    /// <summary>An L2 pool on the LAN: one node answers ARP/NDP per IP.</summary>
    L2,

    /// <summary>A BGP pool announced to the FRR router, which spreads traffic over the nodes (ECMP).</summary>
    Bgp,

    /// <summary>Both pools; Services get the L2 one unless they ask for lab-bgp.</summary>
    Both,
}

/// <summary>How `lab up` installs MetalLb.Net.</summary>
public enum LabInstall
{
    /// <summary>`helm install` of charts/metallb-net; the lab's node agent runs the pods the chart's workloads ask for.</summary>
    Helm,

    /// <summary>The controller and speakers started directly with the admin kubeconfig (what TestKit's ClusterLab does).</summary>
    Direct,
}

/// <summary>One lab's shape, as `metallb-net lab up` was given it.</summary>
public sealed record LabSettings
{
    /// <summary>The lab's name: several labs can run side by side. <value>"lab" by default.</value></summary>
    public string Name { get; init; } = "lab";

    /// <summary>Node namespaces, node1..nodeN. <value>3 by default.</value></summary>
    public int Nodes { get; init; } = 3;

    public LabMode Mode { get; init; } = LabMode.Both;

    /// <summary>Where to write the kubeconfig besides the lab's own folder, or null.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>--log-level of the controller and speakers. <value>info by default.</value></summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>How MetalLb.Net is installed. <value>Helm by default.</value></summary>
    public LabInstall Install { get; init; } = LabInstall.Helm;

    /// <summary>
    /// The speakers' --ml-profile: "fast" (sub-second gossip failover, the speaker's default) or
    /// "lan" (memberlist's own timers, as upstream's speakers). <value>"fast" by default.</value>
    /// </summary>
    public string MlProfile { get; init; } = "fast";

    /// <summary>
    /// How long the lab waits before restarting a speaker or the controller that exited. <value>10 s
    /// by default, the kubelet's first back-off</value>; a benchmark sets zero so trials need not wait.
    /// </summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While this says true for a process's name ("speaker-node1"), the lab does not restart it:
    /// a benchmark running the lab in its own process holds a killed speaker down until its
    /// measurement ends, then lets the lab restart it at once. Null (the CLI's lab): never held.
    /// </summary>
    public Func<string, bool>? HoldRestart { get; init; }

    public bool Router => Mode != LabMode.L2;

    /// <summary>The prefix of every namespace this lab creates (never "cl...", the tests' prefix).</summary>
    public string Prefix => LabPaths.Prefix(Name);
}
