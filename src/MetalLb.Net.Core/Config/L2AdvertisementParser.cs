using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>L2Advertisement objects (docs/upstream-controller.md §3.3) and their attachment to pools (docs/upstream-speaker.md §3).</summary>
internal static class L2AdvertisementParser
{
    /// <summary>Parses every advertisement and attaches the valid ones to <paramref name="byPool"/>.</summary>
    public static void Parse(
        IReadOnlyList<L2Advertisement> ads,
        IReadOnlyList<Pool> pools,
        Dictionary<string, List<L2AdvertisementConfig>> byPool,
        List<ConfigError> errors)
    {
        // Per pool, the dedup keys of ads already attached there.
        var keys = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ad in ads)
        {
            string name = ad.Metadata.Name ?? "";
            var problems = new List<string>();
            if (!names.Add(name))
                problems.Add($"duplicate definition of L2Advertisement \"{name}\"");   // offline input only
            var spec = ad.Spec;
            if (SelectorRules.FindDuplicate(spec.IPAddressPools) is string dup)
                problems.Add($"duplicate definition of ipAddressPools \"{dup}\"");
            SelectorRules.TryCompile(spec.IPAddressPoolSelectors, "ipAddressPoolSelectors", problems, out var poolSelectors);
            SelectorRules.TryCompile(spec.NodeSelectors, "nodeSelectors", problems, out var nodeSelectors);
            SelectorRules.TryCompile(spec.ServiceSelectors, "serviceSelectors", problems, out var serviceSelectors);
            var preferred = ParsePreferred(spec.PreferredNodeSelectors, problems);
            foreach (var problem in problems)
                errors.Add(new ConfigError(ConfigKinds.L2Advertisement, name, problem));
            if (problems.Count > 0) continue;

            var config = new L2AdvertisementConfig(name, nodeSelectors, serviceSelectors, spec.Interfaces ?? [], preferred);
            string? key = preferred.Count > 0 ? null : DedupKey(spec);
            foreach (var pool in PoolTargets.From(spec.IPAddressPools, spec.IPAddressPoolSelectors, poolSelectors).Select(pools))
            {
                // Identical ads without preferences attach once; ads with preferences always
                // attach, because the speaker sums their weights (docs/upstream-speaker.md §3).
                var poolKeys = keys.TryGetValue(pool.Name, out var k) ? k : keys[pool.Name] = new(StringComparer.Ordinal);
                if (key is not null && !poolKeys.Add(key)) continue;
                byPool[pool.Name].Add(config);
            }
        }
    }

    private static List<PreferredNode> ParsePreferred(List<PreferredNodeSelector>? preferred, List<string> problems)
    {
        var result = new List<PreferredNode>();
        foreach (var p in preferred ?? [])
        {
            // The CRD schema enforces 1..100; offline input has no schema, so check it here.
            if (p.Weight is < 1 or > 100)
                problems.Add($"preferredNodeSelectors weight {p.Weight} must be in 1-100");
            if (Selector.TryCreate(p.Preference, out var s, out string error))
                result.Add(new PreferredNode(p.Weight, s));
            else
                problems.Add($"invalid preferred node selector \"{SelectorRules.Canonical(p.Preference)}\": {error}");
        }
        return result;
    }

    /// <summary>
    /// Two ads are identical when node selectors, interfaces and service selectors are the same
    /// sets. Upstream compares resolved node sets; comparing the selectors instead keeps ads
    /// with different selectors apart even when no Node objects are given.
    /// </summary>
    private static string DedupKey(L2AdvertisementSpec spec)
    {
        static string Set(IEnumerable<string> items) => string.Join("|", items.Distinct().Order(StringComparer.Ordinal));
        return string.Join("#",
            Set((spec.NodeSelectors ?? []).Select(SelectorRules.Canonical)),
            Set(spec.Interfaces ?? []),
            Set((spec.ServiceSelectors ?? []).Select(SelectorRules.Canonical)));
    }
}
