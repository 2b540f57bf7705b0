using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// Which pools an advertisement reaches (docs/upstream-speaker.md §3): neither ipAddressPools nor
/// ipAddressPoolSelectors → every pool; otherwise the named pools (unknown names ignored, as
/// upstream does) plus the pools whose labels match any selector. A selector that matches
/// nothing does not fall back to "all pools".
/// </summary>
internal sealed record PoolTargets(bool All, IReadOnlyList<string> Names, IReadOnlyList<Selector> Selectors)
{
    public static PoolTargets From(IReadOnlyList<string>? names, IReadOnlyList<LabelSelector>? selectors, IReadOnlyList<Selector> compiled) =>
        new(names is not { Count: > 0 } && selectors is not { Count: > 0 }, names ?? [], compiled);

    /// <summary>The reached pools, each once, in the order of <paramref name="pools"/>.</summary>
    public IEnumerable<Pool> Select(IReadOnlyList<Pool> pools) =>
        All ? pools : pools.Where(p => Names.Contains(p.Name) || Selectors.Any(s => s.Matches(p.Labels)));
}
