using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The outcome of the L2 election for one service: the winner, who announces every IP of the
/// service, the full ordered candidate list (first = winner) and the winner's interfaces; or
/// the service-wide reason nobody announces.
/// </summary>
public sealed class L2Election
{
    private readonly AnnouncementRequest _request;

    internal L2Election(
        AnnouncementRequest request, IReadOnlyList<L2AdvertisementConfig> ads,
        IReadOnlyList<string> candidates, AnnounceInterfaces? interfaces, NotAnnouncedReason? reason)
    {
        _request = request;
        Advertisements = ads;
        Candidates = candidates;
        Interfaces = interfaces;
        Reason = reason;
    }

    /// <summary>The L2Advertisements that apply to the service (pool's ads matching its labels).</summary>
    public IReadOnlyList<L2AdvertisementConfig> Advertisements { get; }

    /// <summary>Eligible nodes in election order; empty when <see cref="Reason"/> is set.</summary>
    public IReadOnlyList<string> Candidates { get; }

    public string? Winner => Candidates.Count > 0 ? Candidates[0] : null;

    /// <summary>The winner's announce interfaces; null when nobody announces.</summary>
    public AnnounceInterfaces? Interfaces { get; }

    /// <summary>Why nobody announces, or null when <see cref="Winner"/> is set.</summary>
    public NotAnnouncedReason? Reason { get; }

    /// <summary>
    /// Why <paramref name="node"/> does not announce, or null when it is the winner: the
    /// service-wide reason first, then the node's own (not selected, ineligible, no speaker,
    /// no local endpoint), then "notOwner" as upstream answers a speaker that lost.
    /// </summary>
    public NotAnnouncedReason? ShouldAnnounce(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (Winner == node) return null;
        if (Reason is NotAnnouncedReason.NoL2Advertisement or NotAnnouncedReason.NoServingEndpoints
            or NotAnnouncedReason.SharedIPWithServiceSelector)
            return Reason;
        var n = _request.FindNode(node);
        if (n is null) return NotAnnouncedReason.NoSpeaker;
        if (!Advertisements.Any(ad => ad.SelectsNode(n.Metadata.Labels))) return NotAnnouncedReason.NodeNotSelected;
        if (NodeEligibility.Check(n, _request.IgnoreExcludeLabel) is { } ineligible) return ineligible;
        if (_request.LiveSpeakers is { } live && !live.Contains(node)) return NotAnnouncedReason.NoSpeaker;
        if (_request.ExternalTrafficPolicy == TrafficPolicy.Local && !_request.Endpoints.ServesOnNode(node))
            return NotAnnouncedReason.NoLocalEndpoint;
        return NotAnnouncedReason.NotOwner;
    }
}
