namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// What one node sends over BGP for one service (docs/upstream-speaker.md §6): its routes, collapsed per
/// (peer, prefix) and sorted by peer then prefix, and the peers named in ServiceBGPStatus.
/// </summary>
/// <param name="Routes">This node's routes; empty when <paramref name="Reason"/> is set.</param>
/// <param name="Peers">Sorted names of the BGPPeers that get any route (ServiceBGPStatus status.peers).</param>
/// <param name="Reason">Why this node sends nothing; null when <paramref name="Routes"/> is non-empty.</param>
public sealed record BgpNodeDecision(IReadOnlyList<NodeRoute> Routes, IReadOnlyList<string> Peers, NotAnnouncedReason? Reason)
{
    public bool Announce => Routes.Count > 0;

    /// <summary>Nothing sent, for <paramref name="reason"/>.</summary>
    public static BgpNodeDecision None(NotAnnouncedReason reason) => new([], [], reason);

    public bool Equals(BgpNodeDecision? other) =>
        other is not null && Reason == other.Reason
        && Routes.SequenceEqual(other.Routes) && Peers.SequenceEqual(other.Peers, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Reason, Routes.Count, Peers.Count);
}
