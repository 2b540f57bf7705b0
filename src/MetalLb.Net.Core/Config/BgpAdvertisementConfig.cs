using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// A validated BGPAdvertisement, with defaults applied (aggregation 32 / 128) and Community
/// aliases resolved. Empty <see cref="Peers"/> = every peer.
/// </summary>
public sealed record BgpAdvertisementConfig(
    string Name,
    int AggregationLength,
    int AggregationLengthV6,
    uint LocalPref,
    IReadOnlyList<BgpCommunity> Communities,
    IReadOnlyList<Selector> NodeSelectors,
    IReadOnlyList<string> Peers,
    IReadOnlyList<Selector> ServiceSelectors)
{
    public int AggregationLengthFor(IpFamily family) =>
        family == IpFamily.IPv4 ? AggregationLength : AggregationLengthV6;

    public bool SelectsNode(IReadOnlyDictionary<string, string>? nodeLabels) =>
        NodeSelectors.Count == 0 || NodeSelectors.Any(s => s.Matches(nodeLabels));

    public bool SelectsService(IReadOnlyDictionary<string, string>? serviceLabels) =>
        ServiceSelectors.Count == 0 || ServiceSelectors.Any(s => s.Matches(serviceLabels));

    public bool SendsTo(string peerName) => Peers.Count == 0 || Peers.Contains(peerName);
}
