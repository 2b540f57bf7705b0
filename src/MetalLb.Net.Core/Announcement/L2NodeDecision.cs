namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The L2 election of one service as one node sees it (docs/upstream-speaker.md §4): who won (any node), the
/// winner's interfaces (§4.3), and why THIS node does not answer ARP/NDP for the IPs.
/// </summary>
/// <remarks>
/// A node that loses learns so from the first candidate whose hash beats its own; finding the
/// winner means hashing every tied candidate, 100 SHA-256 for a service any of 100 nodes may
/// announce. So <see cref="NodeAnnouncer"/> leaves <see cref="Winner"/> and
/// <see cref="Interfaces"/> to be worked out the first time someone reads them (the answer is
/// the same either way); a speaker's pass that reads only <see cref="Reason"/> skips that work.
/// </remarks>
public sealed record L2NodeDecision
{
    private Func<(string? Winner, AnnounceInterfaces? Interfaces)>? _elect;
    private string? _winner;
    private AnnounceInterfaces? _interfaces;

    /// <param name="Winner">The elected node, null when nobody announces.</param>
    /// <param name="Interfaces">The winner's interfaces, null when nobody announces.</param>
    /// <param name="Reason">
    /// Why this node does not announce (<see cref="NotAnnouncedReason.NotOwner"/> when another
    /// node won); null = this node announces.
    /// </param>
    public L2NodeDecision(string? Winner, AnnounceInterfaces? Interfaces, NotAnnouncedReason? Reason)
    {
        _winner = Winner;
        _interfaces = Interfaces;
        this.Reason = Reason;
    }

    /// <summary>A node that does not announce, the winner found by <paramref name="elect"/> when asked.</summary>
    internal L2NodeDecision(NotAnnouncedReason reason, Func<(string? Winner, AnnounceInterfaces? Interfaces)> elect)
    {
        _elect = elect;
        Reason = reason;
    }

    /// <summary>The elected node (any node), null when nobody announces.</summary>
    public string? Winner
    {
        get => Elected()._winner;
        init { Elected(); _winner = value; }
    }

    /// <summary>The winner's interfaces (§4.3), null when nobody announces.</summary>
    public AnnounceInterfaces? Interfaces
    {
        get => Elected()._interfaces;
        init { Elected(); _interfaces = value; }
    }

    /// <summary>Why this node does not announce (NotOwner when another won); null = announce.</summary>
    public NotAnnouncedReason? Reason { get; init; }

    public bool Announce => Reason is null;

    public void Deconstruct(out string? Winner, out AnnounceInterfaces? Interfaces, out NotAnnouncedReason? Reason)
    {
        Winner = this.Winner;
        Interfaces = this.Interfaces;
        Reason = this.Reason;
    }

    public bool Equals(L2NodeDecision? other) =>
        other is not null && Reason == other.Reason && Winner == other.Winner && Equals(Interfaces, other.Interfaces);

    public override int GetHashCode() => HashCode.Combine(Reason, Winner);

    // Pure and idempotent: two threads racing here compute the same answer.
    private L2NodeDecision Elected()
    {
        if (Volatile.Read(ref _elect) is { } elect)
        {
            (_winner, _interfaces) = elect();
            Volatile.Write(ref _elect, null);
        }
        return this;
    }
}
