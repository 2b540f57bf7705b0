using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;


public static partial class ServiceConverger
{
    /// <summary>
    /// Steps 4, 6 and 7: the status IPs the service may keep. Returns them (recorded in the
    /// allocator), or an empty list after clearing. A non-null <paramref name="error"/> means
    /// "fail without clearing": the service keeps its IPs (step 7c, upstream quirk Q4).
    /// </summary>
    private static IReadOnlyList<IpAddress> KeptStatusIPs(
        Allocator allocator, Service service, ServiceRequest request, List<ServiceEvent> events, out AllocationError? error)
    {
        error = null;
        var texts = (service.Status?.LoadBalancer?.Ingress ?? [])
            .Where(i => !string.IsNullOrEmpty(i.IP)).Select(i => i.IP!).ToList();
        if (texts.Count == 0)
        {
            allocator.Release(request.Key);
            return [];
        }
        var statusFamily = ServiceRequestBuilder.FamilyOf(texts);
        bool acceptSingle = request.Family == ServiceFamily.Dual && request.Policy == IPFamilyPolicy.PreferDualStack
                            && statusFamily is ServiceFamily.IPv4 or ServiceFamily.IPv6;
        if (statusFamily is null || (statusFamily != request.Family && !acceptSingle))
        {
            allocator.Release(request.Key);
            return [];
        }
        var ips = texts.Select(IpAddress.Parse).ToList();

        // 7a: the kept IPs must still be allowed by the configuration.
        if (allocator.Assign(request, ips) is { } assignError)
        {
            events.Add(ServiceEvent.Normal("ClearAssignment",
                $"current IP for \"{request.Key}\" not allowed by config, will attempt for new IP assignment: {assignError.Message}"));
            allocator.Release(request.Key);
            return [];
        }
        // 7b: the address-pool annotation moved elsewhere.
        if (request.PoolAnnotation is { } wanted && wanted != allocator.Get(request.Key)!.Pool)
        {
            allocator.Release(request.Key);
            return [];
        }
        // 7c/7d: requested IPs invalid (keep, warn) or different (clear).
        var requested = RequestedIPs.Parse(request, out var requestError);
        if (requestError is not null)
        {
            events.Add(ServiceEvent.Warning("LoadBalancerFailed", requestError.Message));
            error = requestError;
            return ips;
        }
        if (requested is not null && !requested.ToHashSet().SetEquals(ips))
        {
            allocator.Release(request.Key);
            return [];
        }
        return ips;
    }

    /// <summary>Step 8: the first free address of the missing family in the same pool.</summary>
    private static IReadOnlyList<IpAddress> AddSecondFamily(
        Allocator allocator, ServiceRequest request, IReadOnlyList<IpAddress> kept, List<ServiceEvent> events)
    {
        var pool = allocator.Get(request.Key)!.Pool;
        var missing = kept[0].Family == IpFamily.IPv4 ? IpFamily.IPv6 : IpFamily.IPv4;
        var extra = allocator.FirstFreeInPool(pool, request, missing);
        if (extra is null || allocator.Assign(request, [.. kept, extra.Value]) is not null)
        {
            events.Add(ServiceEvent.Normal("AdditionalAssignFailed", $"Failed to assign an additional {missing.ToKubeString()} IP from pool {pool}"));
            return kept;
        }
        events.Add(ServiceEvent.Normal("IPAllocated", $"Assigned additional IP {extra}"));
        return allocator.Get(request.Key)!.IPs;
    }

    /// <summary>§5.1.1: requested IPs, else the address-pool annotation, else automatic.</summary>
    private static (IReadOnlyList<IpAddress> IPs, string? Pool, AllocationError? Error) AllocateIPs(Allocator allocator, ServiceRequest request)
    {
        var requested = RequestedIPs.Parse(request, out var error);
        if (error is not null) return ([], null, error);
        if (requested is not null)
        {
            if (ServiceRequestBuilder.FamilyOf(requested) != request.Family)
                return ([], null, new(PendingReason.RequestedFamilyMismatch,
                    $"requested loadBalancer IP(s) [{string.Join(" ", requested)}] does not match the ipFamily of the service"));
            if (allocator.Assign(request, requested) is { } assignError) return ([], null, assignError);
            var pool = allocator.Get(request.Key)!.Pool;
            if (request.PoolAnnotation is { } wanted && wanted != pool)
            {
                allocator.Release(request.Key);
                return ([], null, new(PendingReason.RequestedPoolMismatch,
                    $"requested loadBalancer IP(s) [{string.Join(" ", requested)}] is not compatible with requested address pool {wanted}"));
            }
            return (requested, pool, null);
        }
        if (request.PoolAnnotation is { } poolName)
        {
            var ips = allocator.AllocateFromPool(request, poolName, out error);
            return ips is null ? ([], null, error) : (ips, poolName, null);
        }
        var choice = allocator.Allocate(request, out error);
        return choice is { } c ? (c.IPs, c.Pool, null) : ([], null, error);
    }
}
