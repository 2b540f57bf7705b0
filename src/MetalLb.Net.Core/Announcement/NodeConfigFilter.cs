using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Upstream's per-node pre-filter (docs/upstream-speaker.md §1): a speaker parses only the BGPPeers and
/// BGPAdvertisements whose nodeSelectors select its own node, so a broken peer meant for node A
/// makes only A's configuration invalid. L2Advertisements are never filtered: every speaker
/// needs the whole candidate set for the election.
/// </summary>
public static class NodeConfigFilter
{
    /// <summary>
    /// <paramref name="input"/> with the peers and BGP advertisements that do not select
    /// <paramref name="nodeName"/> left out. No nodeSelectors selects every node. An object whose
    /// selectors do not parse is kept, so the parser still reports its error (upstream fails the
    /// whole reload instead). The node is looked up in <c>input.Nodes</c>; a node that is not
    /// there has no labels (upstream waits for its Node; a speaker should too).
    /// </summary>
    public static ConfigInput ForNode(ConfigInput input, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(nodeName);
        var labels = input.Nodes.FirstOrDefault(n => n.Metadata.Name == nodeName)?.Metadata.Labels;
        return input with
        {
            Peers = input.Peers.Where(p => Selects(p.Spec.NodeSelectors, labels)).ToList(),
            BgpAdvertisements = input.BgpAdvertisements.Where(a => Selects(a.Spec.NodeSelectors, labels)).ToList(),
        };
    }

    /// <summary>True when any selector matches (none = all), or when one does not parse.</summary>
    private static bool Selects(IReadOnlyList<LabelSelector>? selectors, IReadOnlyDictionary<string, string>? labels)
    {
        if (selectors is not { Count: > 0 }) return true;
        bool any = false;
        foreach (var selector in selectors)
        {
            if (!Selector.TryCreate(selector, out var compiled, out _)) return true;
            any |= compiled.Matches(labels);
        }
        return any;
    }
}
