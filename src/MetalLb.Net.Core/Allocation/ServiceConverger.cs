using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// One reconcile of one Service against the allocator, step for step as upstream's controller
/// (docs/upstream-behaviour.md#service-reconcile): keep valid status IPs, clear invalid ones, allocate when
/// there are none. The controller writes the outcome; `metallb-net plan` prints it.
/// </summary>
public static partial class ServiceConverger
{
    public static ServiceOutcome Converge(Allocator allocator, Service service, string? loadBalancerClass = null)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(service);
        var events = new List<ServiceEvent>();
        var request = ServiceRequestBuilder.Build(service);

        // §4.3: an empty --lb-class handles only services without a class; a set one only its own.
        if (!Announcement.LoadBalancerClassFilter.Handles(service.Spec.LoadBalancerClass, loadBalancerClass))
            return new([], null, new(PendingReason.LoadBalancerClassNotOurs,
                $"loadBalancerClass \"{service.Spec.LoadBalancerClass}\" is handled by another controller"), events, Ignored: true);

        // Steps 1-3: not a LoadBalancer, no pools, no cluster IP → clear.
        if (service.Spec.Type != ServiceSpec.LoadBalancerType)
            return Clear(allocator, request, new(PendingReason.NotLoadBalancer, "not a LoadBalancer service"), events);
        if (!allocator.HasPools)
            return Clear(allocator, request, new(PendingReason.NoPoolsConfigured, "no IPAddressPool is configured"), events);
        var clusterIPs = ServiceRequestBuilder.ClusterIPs(service);
        if (clusterIPs.Count == 0)
            return Clear(allocator, request, new(PendingReason.NoClusterIPs, "the service has no cluster IP yet"), events);

        // Step 5: RequireDualStack needs two cluster IPs; the cluster family must be determinate.
        if (request.Policy == IPFamilyPolicy.RequireDualStack && clusterIPs.Count < 2)
        {
            events.Add(ServiceEvent.Warning("not enough clusterips", "RequireDualStack needs two cluster IPs, one per family"));
            return Clear(allocator, request, new(PendingReason.NotEnoughClusterIPs, "RequireDualStack needs two cluster IPs, one per family"), events);
        }
        if (request.Family is null)
        {
            events.Add(ServiceEvent.Warning("noclusterIPsIPFamily", $"cannot tell the IP family of cluster IPs [{string.Join(" ", clusterIPs)}]"));
            var current = allocator.Get(request.Key);
            return new(current?.IPs ?? [], current?.Pool,
                new(PendingReason.IndeterminateClusterFamily, $"cannot tell the IP family of cluster IPs [{string.Join(" ", clusterIPs)}]"), events);
        }

        var kept = KeptStatusIPs(allocator, service, request, events, out var keepError);
        if (keepError is not null)
            return new(kept, allocator.Get(request.Key)?.Pool, keepError, events);

        if (kept.Count > 0)
        {
            // Step 8: PreferDualStack holding one family tries to add the other from the same pool.
            if (kept.Count == 1 && request.Policy == IPFamilyPolicy.PreferDualStack && request.Family == ServiceFamily.Dual)
                kept = AddSecondFamily(allocator, request, kept, events);
            return new(kept, allocator.Get(request.Key)!.Pool, null, events);
        }

        // Step 9: allocate afresh.
        var (ips, pool, error) = AllocateIPs(allocator, request);
        if (error is not null)
        {
            events.Add(ServiceEvent.Warning("AllocationFailed", $"Failed to allocate IP for \"{request.Key}\": {error.Message}"));
            return new([], null, error, events);
        }
        AddDeprecationWarnings(service, events);
        events.Add(ServiceEvent.Normal("IPAllocated", $"Assigned IP [{string.Join(" ", ips)}]"));
        return new(ips, pool, null, events);
    }

    private static ServiceOutcome Clear(Allocator allocator, ServiceRequest request, AllocationError why, List<ServiceEvent> events)
    {
        allocator.Release(request.Key);
        return new([], null, why, events);
    }

    private static void AddDeprecationWarnings(Service service, List<ServiceEvent> events)
    {
        foreach (var key in Annotations.Deprecated(service.Metadata.Annotations))
            events.Add(ServiceEvent.Warning("deprecatedAnnotation",
                $"Service uses deprecated annotation {key}, use {key.Replace(Annotations.DeprecatedPrefix, "metallb.io/", StringComparison.Ordinal)} instead"));
    }
}
