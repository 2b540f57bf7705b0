using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Selectors;

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
            if (!names.Add(name))
                problems.Add(Error(name, $"duplicate definition of BGPAdvertisement \"{name}\""));   // B7, by name
            var spec = ad.Spec;
            var selectors = CheckSpec(name, spec, problems);
            var resolved = ResolveCommunities(name, spec.Communities, communities, problems, out bool brokenAlias);
            errors.AddRange(problems);
            if (problems.Count > 0 || brokenAlias)
                continue;   // an invalid ad is not attached: no B5/B6 noise

            var config = new BgpAdvertisementConfig(
                name, spec.AggregationLength ?? 32, spec.AggregationLengthV6 ?? 128, spec.LocalPref ?? 0, resolved,
                selectors.Nodes, spec.Peers ?? [], selectors.Services);
            foreach (var pool in PoolTargets.From(spec.IPAddressPools, spec.IPAddressPoolSelectors, selectors.Pools).Select(pools))
            {
                if (attached.TryAttach(config, pool, byPool[pool.Name], errors))
                    byPool[pool.Name].Add(config);
            }
        }
    }

    private sealed record Selectors(List<Selector> Pools, List<Selector> Nodes, List<Selector> Services);

    /// <summary>B1 to B3: duplicates, selectors, and the aggregation lengths.</summary>
    private static Selectors CheckSpec(string name, BGPAdvertisementSpec spec, List<ConfigError> problems)
    {
        void Problem(string message) => problems.Add(Error(name, message));

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
        selectorProblems.ForEach(Problem);

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
        return new Selectors(poolSelectors, nodeSelectors, serviceSelectors);
    }

    /// <summary>
    /// B4: every community an alias or a literal that parses. An alias whose Community object is
    /// broken is blamed on that object; the advertisement is then just not attached.
    /// </summary>
    private static List<BgpCommunity> ResolveCommunities(string name, IReadOnlyList<string>? values, CommunityTable communities,
        List<ConfigError> problems, out bool brokenAlias)
    {
        var resolved = new List<BgpCommunity>();
        brokenAlias = false;
        foreach (var c in values ?? [])
        {
            if (communities.TryResolve(c, out var value, out string? error, out bool transient))
                resolved.Add(value);
            else if (error is null)
                brokenAlias = true;
            else
                problems.Add(Error(name, error, transient));
        }
        return resolved.Distinct().ToList();
    }

    private static ConfigError Error(string name, string message, bool transient = false) =>
        new(ConfigKinds.BGPAdvertisement, name, message, transient);
}
