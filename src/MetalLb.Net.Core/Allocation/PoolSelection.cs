using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// Which pools automatic allocation tries, in which order (docs/upstream-controller.md §5.3).
/// Upstream leaves equal priorities and the unrestricted pools in random (map) order; we order
/// those ties by pool name so every run, the controller's and `plan`'s, gives the same answer —
/// one of the answers upstream could give.
/// </summary>
public static class PoolSelection
{
    /// <summary>
    /// A pool with serviceAllocation admits a service only if its namespace is in the pool's
    /// namespace set (when that set is non-empty) and one service selector matches (when any).
    /// Pools without serviceAllocation admit every service.
    /// </summary>
    public static bool IsCompatible(Pool pool, ServiceRequest service)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(service);
        var a = pool.Allocation;
        if (a is null) return true;
        if (a.Namespaces.Count > 0 && !a.Namespaces.Contains(service.Namespace)) return false;
        if (a.ServiceSelectors.Count > 0 && !a.ServiceSelectors.Any(s => s.Matches(service.Labels))) return false;
        return true;
    }

    /// <summary>
    /// The restricted pools meant for this service: those naming its namespace, plus those with
    /// service selectors (an allocation with no restriction at all has an implicit match-all);
    /// autoAssign only; compatible; positive priorities ascending, then unset (0).
    /// </summary>
    public static IReadOnlyList<Pool> Pinned(IEnumerable<Pool> pools, ServiceRequest service) =>
        pools.Where(p => p.AutoAssign && p.Allocation is { } a
                         && (a.Namespaces.Contains(service.Namespace) || a.ServiceSelectors.Count > 0)
                         && IsCompatible(p, service))
             .OrderBy(p => p.Allocation!.Priority > 0 ? p.Allocation.Priority : int.MaxValue)
             .ThenBy(p => p.Name, StringComparer.Ordinal)
             .ToList();

    /// <summary>Unrestricted pools (no serviceAllocation at all) with autoAssign, by name.</summary>
    public static IReadOnlyList<Pool> Fallback(IEnumerable<Pool> pools) =>
        pools.Where(p => p.AutoAssign && p.Allocation is null)
             .OrderBy(p => p.Name, StringComparer.Ordinal)
             .ToList();
}
