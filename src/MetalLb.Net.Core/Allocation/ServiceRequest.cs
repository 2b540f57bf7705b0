using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>A (protocol, port) pair of spec.ports; two services sharing an IP must not reuse one.</summary>
public readonly record struct PortKey(string Protocol, int Port)
{
    public override string ToString() => $"{Protocol}/{Port}";
}

/// <summary>
/// What the allocator needs to know about a Service: its identity, namespace and labels (pool
/// selection), ports and keys (sharing), the family it asks for, and what it requests.
/// Built from the API object by <see cref="ServiceRequestBuilder"/>.
/// </summary>
public sealed record ServiceRequest
{
    /// <summary>"namespace/name".</summary>
    public required string Key { get; init; }
    public required string Namespace { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<PortKey> Ports { get; init; } = [];

    /// <summary>The allow-shared-ip value; empty = never shares.</summary>
    public string SharingKey { get; init; } = "";

    /// <summary>Local policy: the selector as sorted "k=v,..."; Cluster: empty (§4.4).</summary>
    public string BackendKey { get; init; } = "";

    /// <summary>Family from the cluster IPs; null when they are missing or indeterminate.</summary>
    public ServiceFamily? Family { get; init; }
    public IPFamilyPolicy Policy { get; init; }

    /// <summary>spec.ipFamilies[0]; only breaks PreferDualStack ties (IPv4 when unset).</summary>
    public IpFamily PrimaryFamily { get; init; } = IpFamily.IPv4;

    /// <summary>The metallb.io/address-pool annotation, or null.</summary>
    public string? PoolAnnotation { get; init; }

    /// <summary>The metallb.io/loadBalancerIPs annotation text, or null.</summary>
    public string? LoadBalancerIPsAnnotation { get; init; }

    /// <summary>spec.loadBalancerIP, or null.</summary>
    public string? LoadBalancerIP { get; init; }

    public bool SharesWith(ServiceRequest other) =>
        SharingKey.Length > 0 && SharingKey == other.SharingKey && BackendKey == other.BackendKey;
}
