using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// The addresses a Service asks for: the metallb.io/loadBalancerIPs annotation (one address,
/// or one IPv4 and one IPv6, comma-separated) or spec.loadBalancerIP, never both (§5.1.1).
/// </summary>
public static class RequestedIPs
{
    /// <summary>Null list and null error: nothing requested.</summary>
    public static IReadOnlyList<IpAddress>? Parse(ServiceRequest service, out AllocationError? error)
    {
        ArgumentNullException.ThrowIfNull(service);
        error = null;
        if (service.LoadBalancerIPsAnnotation is not null && service.LoadBalancerIP is not null)
        {
            error = new(PendingReason.InvalidRequestedIPs,
                $"service can not have both {Annotations.LoadBalancerIPs} and svc.Spec.LoadBalancerIP");
            return null;
        }
        if (service.LoadBalancerIP is { } single)
        {
            if (IpAddress.TryParse(single, out var ip)) return [ip];
            error = new(PendingReason.InvalidRequestedIPs, $"invalid spec.loadBalancerIP {single}");
            return null;
        }
        if (service.LoadBalancerIPsAnnotation is not { } text) return null;
        var ips = new List<IpAddress>();
        foreach (var part in text.Split(','))
        {
            if (!IpAddress.TryParse(part.Trim(), out var ip))
            {
                error = new(PendingReason.InvalidRequestedIPs, $"invalid {Annotations.LoadBalancerIPs}: \"{part.Trim()}\" is not an IP address");
                return null;
            }
            ips.Add(ip);
        }
        if (ips.Count > 2 || (ips.Count == 2 && ips[0].Family == ips[1].Family))
        {
            error = new(PendingReason.InvalidRequestedIPs,
                $"invalid {Annotations.LoadBalancerIPs}: give one address, or one IPv4 and one IPv6 address (got \"{text}\")");
            return null;
        }
        return ips;
    }
}
