using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Everything the L2 and BGP planners need about one service: identity, labels, annotations,
/// traffic policy, its ingress IPs (status order: L2 hashes the first), the pool holding them,
/// the nodes and the endpoints. Built by hand in tests or by <see cref="TryCreate"/> from objects.
/// </summary>
public sealed record AnnouncementRequest(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    TrafficPolicy ExternalTrafficPolicy,
    IReadOnlyList<IpAddress> Ips,
    Pool Pool,
    IReadOnlyList<Node> Nodes,
    EndpointView Endpoints)
{
    public const string SharingKeyAnnotation = Allocation.Annotations.AllowSharedIP;
    public const string LegacySharingKeyAnnotation = Allocation.Annotations.LegacyAllowSharedIP;

    /// <summary>
    /// Names of nodes with a live speaker (memberlist members). Null = every node in
    /// <see cref="Nodes"/>, as upstream assumes when memberlist is disabled and the plan contract
    /// assumes always. Only L2 consults it: BGP does not use memberlist (docs/upstream-speaker.md §5). A live
    /// name without a Node object is not a candidate: no labels, so no ad selects it (as upstream,
    /// whose advertisement node sets come from the Node list).
    /// </summary>
    public IReadOnlySet<string>? LiveSpeakers { get; init; }

    /// <summary>The speaker's --ignore-exclude-lb.</summary>
    public bool IgnoreExcludeLabel { get; init; }

    /// <summary>
    /// The allow-shared-ip key as the speaker reads it, or null when the service does not share:
    /// present, even empty, means shared (the controller's reading differs on purpose; see
    /// <see cref="Allocation.Annotations.SharingKeyForAnnouncement"/>).
    /// </summary>
    public string? SharingKey => Allocation.Annotations.SharingKeyForAnnouncement(Annotations);

    public Node? FindNode(string name) => Nodes.FirstOrDefault(n => n.Metadata.Name == name);

    /// <summary>
    /// The first pool (config order) whose CIDRs contain every IP, or null (upstream's
    /// "ipNotAllowed"). Plain CIDR containment, as upstream's speaker checks; avoidBuggyIPs
    /// is an allocation rule and does not un-announce an IP.
    /// </summary>
    public static Pool? PoolFor(MetalLbConfig config, IReadOnlyList<IpAddress> ips)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ips);
        if (ips.Count == 0) return null;
        foreach (var pool in config.Pools)
            if (ContainsAll(pool, ips)) return pool;
        return null;
    }

    private static bool ContainsAll(Pool pool, IReadOnlyList<IpAddress> ips)
    {
        foreach (var ip in ips)
        {
            bool inside = false;
            foreach (var block in pool.Blocks)
            {
                foreach (var prefix in block.Prefixes)
                {
                    if (!prefix.Contains(ip)) continue;
                    inside = true;
                    break;
                }
                if (inside) break;
            }
            if (!inside) return false;
        }
        return true;
    }

    /// <summary>
    /// The per-service steps before any protocol is asked (docs/upstream-speaker.md §2, steps 1-2): a
    /// LoadBalancer service with parseable ingress IPs inside one pool. Other slices in
    /// <paramref name="slices"/> are ignored.
    /// </summary>
    public static bool TryCreate(
        MetalLbConfig config, Service service, IReadOnlyList<Node> nodes, IEnumerable<EndpointSlice> slices,
        out AnnouncementRequest? request, out NotAnnouncedReason reason)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(service);
        request = null;
        reason = default;
        if (service.Spec.Type != ServiceSpec.LoadBalancerType)
        {
            reason = NotAnnouncedReason.NotLoadBalancer;
            return false;
        }
        var ingress = service.Status?.LoadBalancer?.Ingress ?? [];
        if (ingress.Count == 0)
        {
            reason = NotAnnouncedReason.NoIngressIp;   // upstream's "noIPAllocated"
            return false;
        }
        var ips = new List<IpAddress>();
        foreach (var entry in ingress)
        {
            // Upstream parses every entry: a hostname-only one has no IP and withdraws ("invalidIP").
            if (!IpAddress.TryParse(entry.IP, out var ip))
            {
                reason = NotAnnouncedReason.InvalidIngressIp;
                return false;
            }
            ips.Add(ip);
        }
        var pool = PoolFor(config, ips);
        if (pool is null)
        {
            reason = NotAnnouncedReason.IpNotAllowed;
            return false;
        }
        string ns = service.Metadata.Namespace ?? "", name = service.Metadata.Name ?? "";
        request = new AnnouncementRequest(
            ns, name,
            service.Metadata.Labels ?? [],
            service.Metadata.Annotations ?? [],
            service.Spec.ExternalTrafficPolicy == ServiceSpec.LocalTrafficPolicy ? TrafficPolicy.Local : TrafficPolicy.Cluster,
            ips, pool, nodes,
            EndpointView.FromSlices(ns, name, slices));
        return true;
    }
}
