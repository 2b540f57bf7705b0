using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// One service decided for one node (<see cref="NodeAnnouncer.Decide"/>): the IPs and their
/// pool, or the reason they are withdrawn before any protocol is asked (docs/upstream-speaker.md §2 steps
/// 1-2), then the L2 and the BGP decision.
/// </summary>
/// <param name="Ips">The ingress IPs in status order; empty when <paramref name="Withdrawn"/> is set.</param>
/// <param name="Pool">The pool holding them, null when withdrawn.</param>
/// <param name="Withdrawn">NotLoadBalancer, NoIngressIp, InvalidIngressIp or IpNotAllowed; null otherwise.</param>
public sealed record NodeAnnouncement(
    IReadOnlyList<IpAddress> Ips,
    string? Pool,
    NotAnnouncedReason? Withdrawn,
    L2NodeDecision L2,
    BgpNodeDecision Bgp)
{
    /// <summary>Withdrawn from both protocols for <paramref name="reason"/>.</summary>
    public static NodeAnnouncement WithdrawnFor(NotAnnouncedReason reason) =>
        new([], null, reason, new L2NodeDecision(null, null, reason), BgpNodeDecision.None(reason));

    public bool Equals(NodeAnnouncement? other) =>
        other is not null && Pool == other.Pool && Withdrawn == other.Withdrawn
        && Ips.SequenceEqual(other.Ips) && L2 == other.L2 && Bgp == other.Bgp;

    public override int GetHashCode() => HashCode.Combine(Pool, Withdrawn, Ips.Count, L2, Bgp);
}
