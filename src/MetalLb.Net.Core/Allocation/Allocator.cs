using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// Upstream MetalLB's allocator semantics (docs/upstream-behaviour.md#allocation, #configuration-changes): which pool
/// and which address a Service gets, sharing rules, and the bookkeeping that guarantees no
/// address is ever handed to two services against the rules. Pure and single-threaded: the
/// controller and `metallb-net plan` drive the same instance type.
/// </summary>
public sealed partial class Allocator
{
    private readonly Dictionary<string, PoolState> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Allocation> _byService = new(StringComparer.Ordinal);
    private readonly Dictionary<IpAddress, List<Allocation>> _byIp = [];

    // sharing key -> addresses used under it, with a user count; finds shareable addresses
    // without scanning every allocation.
    private readonly Dictionary<string, Dictionary<IpAddress, int>> _bySharingKey = new(StringComparer.Ordinal);

    /// <summary>One service's current allocation.</summary>
    public sealed record Allocation(ServiceRequest Service, string Pool, IReadOnlyList<IpAddress> IPs);

    // The unrestricted pools in fallback order, and the restricted ones: fixed per pool set,
    // so automatic allocation does not sort on every call.
    private IReadOnlyList<Pool> _fallback = [];
    private IReadOnlyList<Pool> _restricted = [];

    public IReadOnlyCollection<string> PoolNames => _pools.Keys;

    public bool HasPools => _pools.Count > 0;

    public Allocation? Get(string serviceKey) => _byService.GetValueOrDefault(serviceKey);

    /// <summary>Services currently using an address.</summary>
    public IEnumerable<string> UsersOf(IpAddress ip) =>
        _byIp.TryGetValue(ip, out var users) ? users.Select(u => u.Service.Key) : [];

    /// <summary>
    /// Replaces the pool set (§6). Allocations whose addresses fit no pool any more are released;
    /// those now inside a differently named pool are re-homed, so a rename or split keeps IPs.
    /// </summary>
    public void SetPools(IReadOnlyList<Pool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var kept = _byService.Values.ToList();
        _pools.Clear();
        _byService.Clear();
        _byIp.Clear();
        _bySharingKey.Clear();
        foreach (var pool in pools) _pools[pool.Name] = new PoolState(pool);
        _fallback = PoolSelection.Fallback(pools);
        _restricted = pools.Where(p => p.Allocation is not null).ToList();
        foreach (var a in kept)
        {
            var owner = OwningPool(a.IPs);
            if (owner is not null) Record(a with { Pool = owner.Pool.Name });
        }
    }

    /// <summary>Forgets a service's allocation; its addresses become free when nobody else uses them.</summary>
    public void Release(string serviceKey)
    {
        if (!_byService.Remove(serviceKey, out var old)) return;
        foreach (var ip in old.IPs)
        {
            CountSharing(old.Service.SharingKey, ip, -1);
            var users = _byIp[ip];
            users.RemoveAll(u => u.Service.Key == serviceKey);
            if (users.Count > 0) continue;
            _byIp.Remove(ip);
            if (_pools.TryGetValue(old.Pool, out var state)) state.OnLastRelease(ip);
        }
    }

    /// <summary>Pool status and metrics: distinct addresses in use and capacity, per family.</summary>
    public PoolUsage Usage(string pool)
    {
        var s = _pools[pool];
        return new PoolUsage(pool, s.AssignedV4, s.AssignedV6, s.CapacityV4, s.CapacityV6);
    }

    private void Record(Allocation allocation)
    {
        Release(allocation.Service.Key);
        _byService[allocation.Service.Key] = allocation;
        var state = _pools[allocation.Pool];
        foreach (var ip in allocation.IPs)
        {
            CountSharing(allocation.Service.SharingKey, ip, +1);
            if (!_byIp.TryGetValue(ip, out var users))
            {
                _byIp[ip] = users = [];
                state.OnFirstUse(ip);
            }
            users.Add(allocation);
        }
    }

    private void CountSharing(string key, IpAddress ip, int delta)
    {
        if (key.Length == 0) return;
        if (!_bySharingKey.TryGetValue(key, out var ips)) _bySharingKey[key] = ips = [];
        int n = ips.GetValueOrDefault(ip) + delta;
        if (n > 0) ips[ip] = n;
        else
        {
            ips.Remove(ip);
            if (ips.Count == 0) _bySharingKey.Remove(key);
        }
    }

    /// <summary>The pool containing all the addresses (buggy addresses do not count), or null.</summary>
    private PoolState? OwningPool(IReadOnlyList<IpAddress> ips)
    {
        foreach (var state in _pools.Values)
        {
            bool all = true;
            foreach (var ip in ips) all &= state.Contains(ip);
            if (all) return state;
        }
        return null;
    }
}

/// <summary>IPAddressPool.status and the allocator metrics of one pool.</summary>
public readonly record struct PoolUsage(string Pool, long AssignedV4, long AssignedV6, long CapacityV4, long CapacityV6)
{
    public long AvailableV4 => CapacityV4 - AssignedV4;
    public long AvailableV6 => CapacityV6 - AssignedV6;
}
