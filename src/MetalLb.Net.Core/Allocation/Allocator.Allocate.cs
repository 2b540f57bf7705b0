using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

public sealed partial class Allocator
{
    /// <summary>
    /// Automatic allocation (§5.3): matching restricted pools by priority first, then the
    /// unrestricted ones; within a list the first pool that can serve the service's family wins.
    /// </summary>
    public (IReadOnlyList<IpAddress> IPs, string Pool)? Allocate(ServiceRequest service, out AllocationError? error)
    {
        ArgumentNullException.ThrowIfNull(service);
        var pinned = _restricted.Count == 0 ? [] : PoolSelection.Pinned(_restricted, service);
        foreach (var list in (ReadOnlySpan<IReadOnlyList<Config.Pool>>)[pinned, _fallback])
        {
            var choice = BestPool(list.Select(p => _pools[p.Name]), service);
            if (choice is null) continue;
            error = Assign(service, choice.Value.IPs);
            return error is null ? choice : null;
        }
        error = new(PendingReason.NoAvailableIPs, "no available IPs");
        return null;
    }

    /// <summary>The address-pool annotation (§5.4): only this pool, autoAssign ignored, no fallback.</summary>
    public IReadOnlyList<IpAddress>? AllocateFromPool(ServiceRequest service, string poolName, out AllocationError? error)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!_pools.TryGetValue(poolName, out var state))
        {
            error = new(PendingReason.UnknownPool, $"unknown pool \"{poolName}\"");
            return null;
        }
        var v4 = FirstFree(state, service, IpFamily.IPv4);
        var v6 = FirstFree(state, service, IpFamily.IPv6);
        if (v4 is null && v6 is null)
        {
            error = new(PendingReason.NoAvailableIPsInPool, $"no available IPs in pool \"{poolName}\"");
            return null;
        }
        var ips = Select(service, v4, v6);
        if (ips is null)
        {
            string family = service.Family switch { ServiceFamily.IPv4 => "ipv4", ServiceFamily.IPv6 => "ipv6", _ => "dual" };
            error = new(PendingReason.NoAvailableIPsInPool, $"no available IPs in pool \"{poolName}\" for {family} IPFamily");
            return null;
        }
        error = Assign(service, ips);
        return error is null ? ips : null;
    }

    /// <summary>
    /// §5.3.1: single-stack → first pool with a free address of that family; dual → first pool
    /// with both; PreferDualStack falls back to the first pool with the primary family, then
    /// the first with the secondary.
    /// </summary>
    private (IReadOnlyList<IpAddress> IPs, string Pool)? BestPool(IEnumerable<PoolState> list, ServiceRequest service)
    {
        PoolState? primaryOnly = null, secondaryOnly = null;
        IpAddress? primaryIp = null, secondaryIp = null;
        var primary = service.PrimaryFamily;
        var secondary = primary == IpFamily.IPv4 ? IpFamily.IPv6 : IpFamily.IPv4;
        foreach (var state in list)
        {
            if (service.Family is ServiceFamily.IPv4 or ServiceFamily.IPv6)
            {
                var family = service.Family == ServiceFamily.IPv4 ? IpFamily.IPv4 : IpFamily.IPv6;
                if (FirstFree(state, service, family) is { } ip) return ([ip], state.Pool.Name);
                continue;
            }
            var p = FirstFree(state, service, primary);
            var s = FirstFree(state, service, secondary);
            if (p is not null && s is not null)
                return (Ordered(p.Value, s.Value), state.Pool.Name);
            if (service.Policy != IPFamilyPolicy.PreferDualStack) continue;
            if (p is not null && primaryOnly is null) (primaryOnly, primaryIp) = (state, p);
            if (s is not null && secondaryOnly is null) (secondaryOnly, secondaryIp) = (state, s);
        }
        if (primaryOnly is not null) return ([primaryIp!.Value], primaryOnly.Pool.Name);
        if (secondaryOnly is not null) return ([secondaryIp!.Value], secondaryOnly.Pool.Name);
        return null;
    }

    /// <summary>What a pool's candidate pair yields for the service's family and policy.</summary>
    private static IReadOnlyList<IpAddress>? Select(ServiceRequest service, IpAddress? v4, IpAddress? v6) =>
        service.Family switch
        {
            ServiceFamily.IPv4 => v4 is { } a ? [a] : null,
            ServiceFamily.IPv6 => v6 is { } b ? [b] : null,
            _ when v4 is { } a && v6 is { } b => Ordered(a, b),
            _ when service.Policy == IPFamilyPolicy.PreferDualStack => v4 is { } a ? [a] : v6 is { } b ? [b] : null,
            _ => null,
        };

    /// <summary>Dual-stack automatic allocations are written IPv4 first, as upstream does.</summary>
    private static IReadOnlyList<IpAddress> Ordered(IpAddress a, IpAddress b) =>
        a.Family == IpFamily.IPv4 ? [a, b] : [b, a];

    /// <summary>
    /// §5.5: the first address, walking the pool's CIDRs in spec order, that is free for the
    /// service: unused, used only by itself, or shareable with it. Shareable addresses count
    /// as free, so a service with a sharing key packs onto the lowest compatible address.
    /// </summary>
    internal IpAddress? FirstFree(PoolState state, ServiceRequest service, IpFamily family)
    {
        for (int i = 0; i < state.Prefixes.Count; i++)
        {
            var prefix = state.Prefixes[i];
            if (prefix.Family != family) continue;
            IpAddress? best = state.FirstUnused(i, InUse);
            foreach (var ip in SharedCandidates(state, service, prefix))
                if (best is null || ip < best.Value) best = ip;
            if (best is not null) return best;
        }
        return null;
    }

    /// <summary>Addresses in the CIDR already used by the service itself or shareable with it.</summary>
    private IEnumerable<IpAddress> SharedCandidates(PoolState state, ServiceRequest service, IpPrefix prefix)
    {
        if (_byService.TryGetValue(service.Key, out var own))
            foreach (var ip in own.IPs)
                if (prefix.Contains(ip) && IsFreeFor(service, ip)) yield return ip;
        if (service.SharingKey.Length == 0 || !_bySharingKey.TryGetValue(service.SharingKey, out var shared)) yield break;
        foreach (var ip in shared.Keys)
            if (prefix.Contains(ip) && IsFreeFor(service, ip)) yield return ip;
    }

    /// <summary>The first address of a family free for the service in the named pool (step 8).</summary>
    public IpAddress? FirstFreeInPool(string pool, ServiceRequest service, IpFamily family) =>
        _pools.TryGetValue(pool, out var state) ? FirstFree(state, service, family) : null;
}
