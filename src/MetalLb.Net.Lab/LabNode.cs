namespace MetalLb.Net.Lab;

/// <summary>
/// One Kubernetes node of the lab: its namespace and link (<see cref="Host"/>), its speaker
/// process, the loopback forwarder that lets that speaker reach the API, and the flags and key
/// file its speaker starts with (a test may change them before a restart).
/// </summary>
public sealed class LabNode
{
    public LabNode(LabHost host, NamespaceSockets sockets)
    {
        Host = host;
        Sockets = sockets;
    }

    public LabHost Host { get; }

    /// <summary>The Node object's name, also the speaker's --node-name and memberlist member name.</summary>
    public string Name => Host.Name;

    public string Namespace => Host.Namespace;

    public string Mac => Host.Mac;

    public string IPv4 => Host.IPv4;

    public string IPv6 => Host.IPv6;

    /// <summary>The speaker Pod object's name (--pod-name).</summary>
    public string PodName => "speaker-" + Name;

    /// <summary>Sockets made inside this node's namespace (the speaker's /metrics from the test).</summary>
    public NamespaceSockets Sockets { get; }

    public LabProcess Speaker { get; set; } = null!;

    /// <summary>The file passed as --ml-secret-key-path, or null for none.</summary>
    public string? SecretKeyPath { get; set; }

    /// <summary>Flags for this node's speaker on top of the lab's; read at every (re)start.</summary>
    public List<string> ExtraArgs { get; } = [];

    public ApiForwarder? Forwarder { get; set; }

    public override string ToString() => $"{Name} ({IPv4}, {Mac})";
}
