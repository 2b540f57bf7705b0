using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The speaker's entry point: one Service decided for one node, typed (docs/upstream-speaker.md §2, §4, §6).
/// The same call made for every node is `metallb-net plan`, so the two cannot disagree.
/// Pure; what does not depend on the service is worked out once per <see cref="SpeakerScope"/>.
/// </summary>
public static partial class NodeAnnouncer
{
    /// <param name="slices">The service's EndpointSlices; slices of other services are ignored.</param>
    public static NodeAnnouncement Decide(SpeakerScope scope, Service service, IEnumerable<EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(slices);
        if (!AnnouncementRequest.TryCreate(scope.Config, service, scope.Nodes, slices, out var created, out var withdrawn))
            return NodeAnnouncement.WithdrawnFor(withdrawn);
        return Decide(scope, created!);
    }

    /// <summary>
    /// The protocol steps for a request <see cref="AnnouncementRequest.TryCreate"/> made from the
    /// scope's Config and Nodes: plan builds it once and asks every node.
    /// </summary>
    internal static NodeAnnouncement Decide(SpeakerScope scope, AnnouncementRequest created)
    {
        var request = created with { LiveSpeakers = scope.LiveSpeakers, IgnoreExcludeLabel = scope.IgnoreExcludeLabel };
        var node = NodeIndex.For(scope);
        return new NodeAnnouncement(request.Ips, request.Pool.Name, null, DecideL2(node, request), DecideBgp(node, request));
    }

    /// <summary>
    /// Routes of many services towards one peer collapse per prefix: communities unioned,
    /// localPref of the first (upstream's mergeCommunities; FRR's route-maps add up). What a
    /// node sends each session; peers sorted, each peer's routes sorted by prefix.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<NodeRoute>> RoutesByPeer(IEnumerable<NodeRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return NodeRoutes.ByPeer(routes);
    }

    /// <summary>§6: this node's routes; a node missing from the Node list has no speaker.</summary>
    private static BgpNodeDecision DecideBgp(NodeIndex node, AnnouncementRequest request) =>
        node.Self is null
            ? BgpNodeDecision.None(NotAnnouncedReason.NoSpeaker)
            : BgpPlanner.ForNode(request, node.BgpAdvertisements(request.Pool.Name), node.Peers, node.Name, node.Ineligible);
}
