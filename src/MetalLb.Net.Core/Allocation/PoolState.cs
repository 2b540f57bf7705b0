using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// Per-pool bookkeeping: a cursor per CIDR below which every address is in use (or unusable),
/// and the count of distinct addresses in use per family. Finding the first unused address
/// walks forward from the cursor only, so sequential allocation is amortised O(1) and a /64
/// costs what a /24 costs; a release moves the cursor back.
/// </summary>
internal sealed class PoolState
{
    private readonly IpPrefix[] _prefixes;
    private readonly UInt128[] _cursors;

    public PoolState(Pool pool)
    {
        Pool = pool;
        _prefixes = pool.Prefixes.ToArray();
        _cursors = _prefixes.Select(p => p.First.Value).ToArray();
        (CapacityV4, CapacityV6) = Capacity(pool);
    }

    public Pool Pool { get; }
    public IReadOnlyList<IpPrefix> Prefixes => _prefixes;

    /// <summary><see cref="Pool.Contains"/> on the cached CIDR array (hot path of every assignment).</summary>
    public bool Contains(IpAddress address)
    {
        if (Pool.AvoidBuggyIPs && address.IsBuggy) return false;
        foreach (var p in _prefixes)
            if (p.Contains(address)) return true;
        return false;
    }
    public long AssignedV4 { get; private set; }
    public long AssignedV6 { get; private set; }
    public long CapacityV4 { get; }
    public long CapacityV6 { get; }

    /// <summary>
    /// The first address of <paramref name="prefixIndex"/>'s CIDR at or after the cursor that
    /// nobody uses and that is not buggy (avoidBuggyIPs), or null when the CIDR is full.
    /// </summary>
    public IpAddress? FirstUnused(int prefixIndex, Func<IpAddress, bool> inUse)
    {
        var prefix = _prefixes[prefixIndex];
        UInt128 last = prefix.Last.Value;
        UInt128 x = _cursors[prefixIndex];
        while (true)
        {
            var candidate = new IpAddress(x, prefix.Family);
            if (!inUse(candidate) && !(Pool.AvoidBuggyIPs && candidate.IsBuggy))
            {
                _cursors[prefixIndex] = x;
                return candidate;
            }
            if (x == last)
            {
                _cursors[prefixIndex] = x;
                return null;
            }
            x++;
        }
    }

    /// <summary>An address of this pool became used by its first user.</summary>
    public void OnFirstUse(IpAddress ip)
    {
        if (ip.Family == IpFamily.IPv4) AssignedV4++; else AssignedV6++;
    }

    /// <summary>An address lost its last user: count it free and let the cursor find it again.</summary>
    public void OnLastRelease(IpAddress ip)
    {
        if (ip.Family == IpFamily.IPv4) AssignedV4--; else AssignedV6--;
        for (int i = 0; i < _prefixes.Length; i++)
            if (_prefixes[i].Contains(ip) && ip.Value < _cursors[i])
                _cursors[i] = ip.Value;
    }

    /// <summary>
    /// Usable addresses per family (docs/upstream-controller.md §9.1): 2^host bits per CIDR, saturating at
    /// long.MaxValue (upstream overflows past a /66; we cap instead), minus .0/.255 addresses
    /// when avoidBuggyIPs.
    /// </summary>
    private static (long V4, long V6) Capacity(Pool pool)
    {
        UInt128 v4 = 0, v6 = 0;
        foreach (var p in pool.Prefixes)
        {
            UInt128 size = p.HostBits >= 127 ? UInt128.MaxValue / 2 : UInt128.One << p.HostBits;
            if (pool.AvoidBuggyIPs && p.Family == IpFamily.IPv4)
                size -= BuggyCount(p);
            if (p.Family == IpFamily.IPv4) v4 += size;
            else v6 = v6 > UInt128.MaxValue / 2 - size ? UInt128.MaxValue / 2 : v6 + size;
        }
        static long Cap(UInt128 n) => n > long.MaxValue ? long.MaxValue : (long)n;
        return (Cap(v4), Cap(v6));
    }

    private static UInt128 BuggyCount(IpPrefix p)
    {
        if (p.Length <= 24) return (UInt128)2 << (24 - p.Length);
        UInt128 n = 0;
        if (p.First.IsBuggy) n++;
        if (p.Last.IsBuggy && p.Last != p.First) n++;
        return n;
    }
}
