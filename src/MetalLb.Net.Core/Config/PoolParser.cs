using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>IPAddressPool objects (docs/upstream-controller.md §3.1, rules P1–P7) into <see cref="Pool"/>s.</summary>
internal static class PoolParser
{
    /// <summary>
    /// Parses pools in the given (name) order. Returns the pools that parsed (P7 overlaps are
    /// reported but the pool is kept, so advertisements are still checked against it); a pool
    /// failing P1–P6 is left out, so nothing else is blamed because of it.
    /// </summary>
    public static List<Pool> Parse(IReadOnlyList<IPAddressPool> pools, IReadOnlyList<Namespace> namespaces, List<ConfigError> errors)
    {
        var result = new List<Pool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var seen = new PrefixIndex<string>();
        foreach (var p in pools)
        {
            string name = p.Metadata.Name ?? "";
            if (name.Length == 0)
            {
                errors.Add(Error(name, "missing pool name"));   // P1
                continue;
            }
            if (!names.Add(name))
            {
                errors.Add(Error(name, $"duplicate definition of pool \"{name}\""));   // P6
                continue;
            }
            var pool = ParseOne(p, name, namespaces, errors);
            if (pool is null) continue;
            CheckOverlaps(pool, seen, errors);
            result.Add(pool);
        }
        return result;
    }

    private static Pool? ParseOne(IPAddressPool p, string name, IReadOnlyList<Namespace> namespaces, List<ConfigError> errors)
    {
        int before = errors.Count;
        var blocks = new List<AddressBlock>();
        if (p.Spec.Addresses is not { Count: > 0 })
            errors.Add(Error(name, "pool has no prefixes defined: set spec.addresses"));   // P2
        foreach (var address in p.Spec.Addresses ?? [])
        {
            // P3: every entry is reported, not only the first bad one.
            if (AddressBlock.TryParse(address, out var block, out string error))
                blocks.Add(block);
            else
                errors.Add(Error(name, $"{error} in spec.addresses (use a CIDR like 192.0.2.0/24 or a range like 192.0.2.10-192.0.2.20)"));
        }
        var allocation = ParseAllocation(p.Spec.ServiceAllocation, name, namespaces, errors);
        if (errors.Count != before) return null;
        return new Pool(
            name,
            blocks,
            p.Spec.AutoAssign ?? true,
            p.Spec.AvoidBuggyIPs ?? false,
            allocation,
            p.Metadata.Labels ?? new Dictionary<string, string>());
    }

    private static PoolAllocation? ParseAllocation(
        ServiceAllocation? spec, string name, IReadOnlyList<Namespace> namespaces, List<ConfigError> errors)
    {
        if (spec is null) return null;
        int priority = spec.Priority ?? 0;
        var names = spec.Namespaces ?? [];
        if (SelectorRules.FindDuplicate(names) is string duplicate)
            errors.Add(Error(name, $"duplicate definition in namespaces field: \"{duplicate}\" is listed twice"));   // P4
        bool hasNamespaceSelectors = spec.NamespaceSelectors is { Count: > 0 };
        bool hasServiceSelectors = spec.ServiceSelectors is { Count: > 0 };
        if (names.Count == 0 && !hasNamespaceSelectors && !hasServiceSelectors)
        {
            // §5.3: only a priority (or nothing) → the pool matches every service.
            return new PoolAllocation(priority, new HashSet<string>(StringComparer.Ordinal), [Selector.Everything]);
        }
        var problems = new List<string>();
        SelectorRules.TryCompile(spec.NamespaceSelectors, "namespaceSelectors", problems, out var nsSelectors);   // P5
        SelectorRules.TryCompile(spec.ServiceSelectors, "serviceSelectors", problems, out var serviceSelectors);
        foreach (var problem in problems) errors.Add(Error(name, problem));
        // Namespace selectors are resolved now, against the Namespace objects, as upstream does.
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var ns in namespaces)
            if (nsSelectors.Any(s => s.Matches(ns.Metadata.Labels)))
                set.Add(ns.Metadata.Name ?? "");
        return new PoolAllocation(priority, set, serviceSelectors, HasNamespaceRestriction: names.Count > 0 || hasNamespaceSelectors);
    }

    /// <summary>
    /// P7: a CIDR must not overlap any CIDR seen before, including earlier ones of the same pool.
    /// Adjacent blocks are fine; families never overlap. One error per address entry.
    /// </summary>
    private static void CheckOverlaps(Pool pool, PrefixIndex<string> seen, List<ConfigError> errors)
    {
        foreach (var block in pool.Blocks)
        {
            foreach (var prefix in block.Prefixes)
            {
                if (!seen.TryFindFirstOverlap(prefix, out var earlier)) continue;
                var (other, owner) = earlier;
                string where = owner == pool.Name ? "in the same pool" : $"in pool \"{owner}\"";
                errors.Add(Error(pool.Name,
                    $"CIDR \"{prefix}\" in pool \"{pool.Name}\" overlaps with already defined CIDR \"{other}\" ({where}); pools must not share addresses"));
                break;
            }
            foreach (var prefix in block.Prefixes) seen.Add(prefix, pool.Name);
        }
    }

    private static ConfigError Error(string name, string message) => new(ConfigKinds.IPAddressPool, name, message);
}
