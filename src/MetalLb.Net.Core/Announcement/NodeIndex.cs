using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// What one speaker's scope knows of its own node, worked out once per scope instance: the
/// Node, its eligibility, its BGP sessions (peers selecting it, §6.1) and each pool's
/// advertisements selecting it, and its own reason when it is not an L2 candidate.
/// </summary>
internal sealed class NodeIndex
{
    private static readonly ConditionalWeakTable<SpeakerScope, NodeIndex> Indexes = new();

    private readonly ConcurrentDictionary<string, IReadOnlyList<BgpAdvertisementConfig>> _bgpAds = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<L2Candidates, StrongBox<NotAnnouncedReason?>> _outside = new();

    private NodeIndex(SpeakerScope scope)
    {
        Name = scope.NodeName;
        Cluster = ClusterIndex.For(scope);
        Self = Cluster.Find(scope.NodeName);
        if (Self is null) return;
        Ineligible = Cluster.Ineligible(Self);
        Peers = scope.Config.Peers.Where(p => p.SelectsNode(Self.Metadata.Labels)).ToList();
    }

    public static NodeIndex For(SpeakerScope scope) => Indexes.GetValue(scope, static s => new NodeIndex(s));

    public string Name { get; }

    public ClusterIndex Cluster { get; }

    /// <summary>This speaker's Node; null when the Node list does not hold it.</summary>
    public Node? Self { get; }

    public NotAnnouncedReason? Ineligible { get; }

    /// <summary>The BGPPeers whose nodeSelectors select this node: its sessions.</summary>
    public IReadOnlyList<PeerConfig> Peers { get; } = [];

    /// <summary>The pool's BGPAdvertisements that select this node.</summary>
    public IReadOnlyList<BgpAdvertisementConfig> BgpAdvertisements(string pool) =>
        _bgpAds.GetOrAdd(pool, static (name, self) =>
            self.Cluster.Config.BgpAdvertisementsFor(name).Where(ad => ad.SelectsNode(self.Self!.Metadata.Labels)).ToList(), this);

    /// <summary>
    /// Why this node is not among <paramref name="candidates"/>, in the order upstream checks
    /// (docs/upstream-speaker.md §4.1): no Node, no applicable ad selects it, ineligible, no live speaker.
    /// Null when it is a candidate.
    /// </summary>
    public NotAnnouncedReason? OutsideOf(L2Candidates candidates) =>
        _outside.GetValue(candidates, c => new StrongBox<NotAnnouncedReason?>(
            Self is null ? NotAnnouncedReason.NoSpeaker
            : !L2Candidates.SelectsNode(c.Advertisements, Self.Metadata.Labels) ? NotAnnouncedReason.NodeNotSelected
            : Ineligible is { } ineligible ? ineligible
            : !Cluster.IsLive(Name) ? NotAnnouncedReason.NoSpeaker
            : null)).Value;
}
