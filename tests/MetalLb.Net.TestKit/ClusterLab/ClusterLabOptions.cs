using MetalLb.Net.Lab;

namespace MetalLb.Net.TestKit.ClusterLab;

/// <summary>Where the speakers' gossip key comes from.</summary>
public enum MemberlistKeySource
{
    /// <summary>The `memberlist` Secret the controller creates, as upstream mounts it.</summary>
    Controller,

    /// <summary>No key file: unencrypted gossip.</summary>
    None,
}

/// <summary>The shape of one cluster lab.</summary>
public sealed record ClusterLabOptions
{
    /// <summary>Node namespaces, named node1..nodeN. <value>3 by default.</value></summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Start the FRR router namespace. <value>true by default.</value></summary>
    public bool Router { get; init; } = true;

    public FrrRouterOptions RouterOptions { get; init; } = new();

    /// <summary>Run memberlist in the speakers (--ml-bindaddr and --ml-labels). <value>true by default.</value></summary>
    public bool Memberlist { get; init; } = true;

    public MemberlistKeySource MemberlistKey { get; init; } = MemberlistKeySource.Controller;

    /// <summary>Start the controller process. <value>true by default.</value></summary>
    public bool Controller { get; init; } = true;

    /// <summary>Start one speaker per node at once. <value>true by default.</value></summary>
    public bool StartSpeakers { get; init; } = true;

    /// <summary>
    /// Fail (skip locally) at once when the speaker is not built. Only a lab that never runs a
    /// speaker (the lab's own checks) turns it off. <value>true by default.</value>
    /// </summary>
    public bool RequireSpeaker { get; init; } = true;

    /// <summary>Flags added to every speaker's command line (e.g. "--ml-profile", "lan").</summary>
    public IReadOnlyList<string> SpeakerArgs { get; init; } = [];

    /// <summary>--log-level of the programs. <value>info by default.</value></summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>Where the lab writes what it did and, at the end, the processes' logs (a test's output).</summary>
    public Action<string>? Output { get; init; }
}
