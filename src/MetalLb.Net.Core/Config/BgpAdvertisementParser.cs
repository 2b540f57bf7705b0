using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// BGPAdvertisement objects (docs/upstream-controller.md §3.4, B1–B4) and their attachment to pools with
/// the per-pool checks B5 and B6 (<see cref="BgpAdvertisementPoolRules"/>).
/// </summary>
internal static class BgpAdvertisementParser
{
    public static void Parse(
        IReadOnlyList<BGPAdvertisement> ads,
        IReadOnlyList<Pool> pools,
        CommunityTable communities,
        IReadOnlyList<Node> nodes,
        Dictionary<string, List<BgpAdvertisementConfig>> byPool,
        List<ConfigError> errors)
    {
        var attached = new BgpAdvertisementPoolRules(nodes);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ad in ads)
        {
            string name = ad.Metadata.Name ?? "";
            var problems = new List<ConfigError>();
            void Problem(string message, bool transient = false) =>
                problems.Add(new ConfigError(ConfigKinds.BGPAdvertisement, name, message, transient));

            if (!names.Add(name))
                Problem($"duplicate definition of BGPAdvertisement \"{name}\"");   // B7, by name
            var spec = ad.Spec;
            // B1: duplicates and selectors.
            if (SelectorRules.FindDuplicate(spec.IPAddressPools) is string dupPool)
                Problem($"duplicate definition of ipAddressPools \"{dupPool}\"");
            if (SelectorRules.FindDuplicate(spec.Communities) is string dupCommunity)
                Problem($"duplicate definition of community \"{dupCommunity}\"");
            if (SelectorRules.FindDuplicate(spec.Peers) is string dupPeer)
                Problem($"duplicate definition of peers \"{dupPeer}\"");
            var selectorProblems = new List<string>();
            SelectorRules.TryCompile(spec.IPAddressPoolSelectors, "ipAddressPoolSelectors", selectorProblems, out var poolSelectors);
            SelectorRules.TryCompile(spec.NodeSelectors, "nodeSelectors", selectorProblems, out var nodeSelectors);
            SelectorRules.TryCompile(spec.ServiceSelectors, "serviceSelectors", selectorProblems, out var serviceSelectors);
            selectorProblems.ForEach(p => Problem(p));

            // B2: per-service selection cannot be combined with aggregation.
            if (spec.ServiceSelectors is { Count: > 0 })
            {
                if (spec.AggregationLength is int v4 && v4 != 32)
                    Problem($"serviceSelectors and aggregationLength are mutually exclusive, both cannot be set in {name}");
                if (spec.AggregationLengthV6 is int v6 && v6 != 128)
                    Problem($"serviceSelectors and aggregationLengthV6 are mutually exclusive, both cannot be set in {name}");
            }
            // B3 (the lower bounds are the CRD schema's, checked here for offline input).
            int length = spec.AggregationLength ?? 32, lengthV6 = spec.AggregationLengthV6 ?? 128;
            if (length is < 1 or > 32)
                Problem($"invalid aggregation length {length} for IPv4: must be in 1-32");
            if (lengthV6 is < 0 or > 128)
                Problem($"invalid aggregation length {lengthV6} for IPv6: must be in 0-128");

            var resolved = new List<BgpCommunity>();
            bool brokenAlias = false;
            foreach (var c in spec.Communities ?? [])   // B4
            {
                if (communities.TryResolve(c, out var value, out string? error, out bool transient))
                    resolved.Add(value);
                else if (error is null)
                    brokenAlias = true;   // blamed on its Community object; just don't attach
                else
                    Problem(error, transient);
            }

            errors.AddRange(problems);
            if (problems.Count > 0 || brokenAlias) continue;   // an invalid ad is not attached: no B5/B6 noise

            var config = new BgpAdvertisementConfig(
                name, length, lengthV6, spec.LocalPref ?? 0, resolved.Distinct().ToList(),
                nodeSelectors, spec.Peers ?? [], serviceSelectors);
            foreach (var pool in PoolTargets.From(spec.IPAddressPools, spec.IPAddressPoolSelectors, poolSelectors).Select(pools))
            {
                if (attached.TryAttach(config, pool, byPool[pool.Name], errors))
                    byPool[pool.Name].Add(config);
            }
        }
    }
}
