using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// A validated L2Advertisement. Empty <see cref="NodeSelectors"/> = every node;
/// empty <see cref="ServiceSelectors"/> = every service; empty <see cref="Interfaces"/> = every interface.
/// </summary>
public sealed record L2AdvertisementConfig(
    string Name,
    IReadOnlyList<Selector> NodeSelectors,
    IReadOnlyList<Selector> ServiceSelectors,
    IReadOnlyList<string> Interfaces,
    IReadOnlyList<PreferredNode> PreferredNodeSelectors)
{
    /// <summary>Node selectors are ORed; none means every node.</summary>
    public bool SelectsNode(IReadOnlyDictionary<string, string>? nodeLabels) =>
        NodeSelectors.Count == 0 || NodeSelectors.Any(s => s.Matches(nodeLabels));

    public bool SelectsService(IReadOnlyDictionary<string, string>? serviceLabels) =>
        ServiceSelectors.Count == 0 || ServiceSelectors.Any(s => s.Matches(serviceLabels));
}

/// <summary>preferredNodeSelectors[]: nodes matching <see cref="Preference"/> score <see cref="Weight"/>.</summary>
public sealed record PreferredNode(int Weight, Selector Preference);
