using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>Reads the allocator's view of a Service from the API object (docs/upstream-controller.md §4).</summary>
public static class ServiceRequestBuilder
{
    private static readonly Dictionary<string, string> NoLabels = [];

    public static ServiceRequest Build(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec;
        var annotations = service.Metadata.Annotations;
        string ns = service.Metadata.Namespace ?? "default";
        return new ServiceRequest
        {
            Key = $"{ns}/{service.Metadata.Name}",
            Namespace = ns,
            Labels = service.Metadata.Labels ?? NoLabels,
            Ports = (spec.Ports ?? []).Select(p => new PortKey(p.Protocol ?? "TCP", p.Port)).ToArray(),
            SharingKey = Annotations.SharingKeyForAllocation(annotations) ?? "",
            BackendKey = spec.ExternalTrafficPolicy == ServiceSpec.LocalTrafficPolicy
                ? string.Join(",", (spec.Selector ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))
                : "",
            Family = FamilyOf(ClusterIPs(service)),
            Policy = spec.IPFamilyPolicy switch
            {
                "PreferDualStack" => IPFamilyPolicy.PreferDualStack,
                "RequireDualStack" => IPFamilyPolicy.RequireDualStack,
                _ => IPFamilyPolicy.SingleStack,
            },
            PrimaryFamily = spec.IPFamilies is ["IPv6", ..] ? IpFamily.IPv6 : IpFamily.IPv4,
            PoolAnnotation = Annotations.Get(annotations, Annotations.AddressPool),
            LoadBalancerIPsAnnotation = Annotations.Get(annotations, Annotations.LoadBalancerIPs),
            LoadBalancerIP = string.IsNullOrEmpty(spec.LoadBalancerIP) ? null : spec.LoadBalancerIP,
        };
    }

    /// <summary>spec.clusterIPs, or spec.clusterIP when the list is absent; "None" (headless) is no IP.</summary>
    public static IReadOnlyList<string> ClusterIPs(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var list = service.Spec.ClusterIPs is { Count: > 0 } ips ? ips
            : service.Spec.ClusterIP is { } one ? [one] : [];
        return list.Where(ip => !string.IsNullOrEmpty(ip) && ip != "None").ToList();
    }

    /// <summary>
    /// One address → its family; two of different families → dual; anything else
    /// (unparsable, two of one family, three) → null, "indeterminate" in upstream's words.
    /// </summary>
    public static ServiceFamily? FamilyOf(IReadOnlyList<string> ips)
    {
        ArgumentNullException.ThrowIfNull(ips);
        var parsed = new List<IpAddress>();
        foreach (var text in ips)
        {
            if (!IpAddress.TryParse(text, out var ip)) return null;
            parsed.Add(ip);
        }
        return FamilyOf(parsed);
    }

    public static ServiceFamily? FamilyOf(IReadOnlyList<IpAddress> ips)
    {
        ArgumentNullException.ThrowIfNull(ips);
        return ips.Count switch
        {
            1 => ips[0].Family == IpFamily.IPv4 ? ServiceFamily.IPv4 : ServiceFamily.IPv6,
            2 when ips[0].Family != ips[1].Family => ServiceFamily.Dual,
            _ => null,
        };
    }
}
