using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Tests.Allocation;

/// <summary>Small builders so each allocation case reads like the situation it describes.</summary>
internal static class AllocationFixtures
{
    public static Pool Pool(string name, params string[] addresses) => new(
        name,
        addresses.Select(a => AddressBlock.TryParse(a, out var b, out var e) ? b : throw new ArgumentException(e)).ToList(),
        AutoAssign: true,
        AvoidBuggyIPs: false,
        Allocation: null,
        Labels: new Dictionary<string, string>());

    public static Pool Restricted(Pool pool, int priority = 0, string[]? namespaces = null, Dictionary<string, string>? serviceLabels = null) =>
        pool with
        {
            Allocation = new PoolAllocation(
                priority,
                (namespaces ?? []).ToHashSet(),
                serviceLabels is null
                    ? namespaces is null ? [Selector.Everything] : []
                    : [Selector.TryCreate(new LabelSelector { MatchLabels = serviceLabels }, out var s, out var err) ? s : throw new ArgumentException(err, nameof(serviceLabels))]),
        };

    public static Allocator Allocator(params Pool[] pools)
    {
        var a = new Allocator();
        a.SetPools(pools);
        return a;
    }

    public static Service Svc(
        string name,
        string ns = "default",
        string[]? clusterIPs = null,
        string? policy = null,
        string[]? status = null,
        Dictionary<string, string>? annotations = null,
        Dictionary<string, string>? labels = null,
        string? loadBalancerIP = null,
        int[]? ports = null,
        string? protocol = null,
        string? trafficPolicy = null,
        string? lbClass = null,
        string type = "LoadBalancer") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Annotations = annotations, Labels = labels },
        Spec = new ServiceSpec
        {
            Type = type,
            ClusterIPs = (clusterIPs ?? ["10.96.0.10"]).ToList(),
            IPFamilyPolicy = policy,
            LoadBalancerIP = loadBalancerIP,
            LoadBalancerClass = lbClass,
            ExternalTrafficPolicy = trafficPolicy,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = (ports ?? [80]).Select(p => new ServicePort { Port = p, Protocol = protocol }).ToList(),
        },
        Status = status is null ? null : new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus { Ingress = status.Select(ip => new LoadBalancerIngress { IP = ip }).ToList() },
        },
    };

    public static Dictionary<string, string> Shared(string key) => new() { [Annotations.AllowSharedIP] = key };

    public static string[] Ips(ServiceOutcome o) => o.IPs.Select(i => i.ToString()).ToArray();
}
