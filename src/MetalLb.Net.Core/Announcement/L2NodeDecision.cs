namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The L2 election of one service as one node sees it (speaker.md §4): who won (any node), the
/// winner's interfaces (§4.3), and why THIS node does not answer ARP/NDP for the IPs.
/// </summary>
/// <param name="Winner">The elected node, null when nobody announces.</param>
/// <param name="Interfaces">The winner's interfaces, null when nobody announces.</param>
/// <param name="Reason">
/// Why this node does not announce (<see cref="NotAnnouncedReason.NotOwner"/> when another node
/// won); null = this node announces.
/// </param>
public sealed record L2NodeDecision(string? Winner, AnnounceInterfaces? Interfaces, NotAnnouncedReason? Reason)
{
    public bool Announce => Reason is null;
}
