using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// A validated IPAddressPool. <see cref="Blocks"/> keep spec.addresses order: allocation walks
/// them in that order and each block's CIDRs ascending (docs/upstream-behaviour.md#first-free-address).
/// </summary>
public sealed record Pool(
    string Name,
    IReadOnlyList<AddressBlock> Blocks,
    bool AutoAssign,
    bool AvoidBuggyIPs,
    PoolAllocation? Allocation,
    IReadOnlyDictionary<string, string> Labels)
{
    public IEnumerable<IpPrefix> Prefixes => Blocks.SelectMany(b => b.Prefixes);

    public bool HasFamily(IpFamily family) => Prefixes.Any(p => p.Family == family);

    /// <summary>True when the address is in one of the pool's CIDRs and usable (not buggy when avoidBuggyIPs).</summary>
    public bool Contains(IpAddress address) =>
        !(AvoidBuggyIPs && address.IsBuggy) && Prefixes.Any(p => p.Contains(address));
}

/// <summary>
/// spec.serviceAllocation after parsing: namespace names plus the names matched by
/// namespaceSelectors (resolved against the Namespace objects at parse time, as upstream does),
/// and the service selectors. A serviceAllocation with neither namespaces nor service
/// selectors gets an implicit match-all service selector (§5.3).
/// <see cref="HasNamespaceRestriction"/> is true when namespaces or namespaceSelectors were
/// given, even if the selectors matched no Namespace: such a pool restricts by namespace and
/// an empty <see cref="Namespaces"/> then means "no namespace" (docs/upstream-controller.md Q2), not "any".
/// </summary>
public sealed record PoolAllocation(
    int Priority,
    IReadOnlySet<string> Namespaces,
    IReadOnlyList<Selector> ServiceSelectors,
    bool HasNamespaceRestriction = false);
