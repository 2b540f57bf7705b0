namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The BGP outcome for one service: the routes of every announcing node, and for each node
/// that does not announce, why. A node that passes every check but has no peer that takes
/// the prefixes is listed with <see cref="NotAnnouncedReason.NoBgpPeer"/>.
/// </summary>
public sealed class BgpPlan
{
    internal BgpPlan(IReadOnlyList<BgpRoute> routes, IReadOnlyDictionary<string, NotAnnouncedReason> notAnnouncing)
    {
        Routes = routes;
        NotAnnouncing = notAnnouncing;
    }

    /// <summary>Sorted by node, peer, then prefix; collapsed per (node, peer, prefix).</summary>
    public IReadOnlyList<BgpRoute> Routes { get; }

    /// <summary>Node name -> why that node sends the service's prefixes to nobody.</summary>
    public IReadOnlyDictionary<string, NotAnnouncedReason> NotAnnouncing { get; }

    /// <summary>Nodes with at least one route, sorted.</summary>
    public IReadOnlyList<string> AnnouncingNodes =>
        Routes.Select(r => r.Node).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Why nobody announces: the reason shared by every node, else NoEligibleNode; null when
    /// some node announces.
    /// </summary>
    public NotAnnouncedReason? Reason
    {
        get
        {
            if (Routes.Count > 0) return null;
            var distinct = NotAnnouncing.Values.Distinct().ToList();
            return distinct.Count == 1 ? distinct[0] : NotAnnouncedReason.NoEligibleNode;
        }
    }

    /// <summary>Null when <paramref name="node"/> sends some route; otherwise its reason.</summary>
    public NotAnnouncedReason? ShouldAnnounce(string node) =>
        NotAnnouncing.TryGetValue(node, out var reason) ? reason
        : Routes.Any(r => r.Node == node) ? null
        : NotAnnouncedReason.NoSpeaker;   // not in the request's node list
}
