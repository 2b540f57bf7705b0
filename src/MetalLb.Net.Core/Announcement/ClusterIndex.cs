using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// What every speaker of a cluster snapshot (one Config, one Node list, one live set, one
/// --ignore-exclude-lb) shares, worked out once: Node lookup, eligibility, and the L2 candidate
/// sets. Keyed on those object references, so scopes that differ only by node name (plan asks
/// every node) share it, and it goes away with them. Pure: only a memo of pure functions.
/// </summary>
internal sealed class ClusterIndex
{
    private static readonly ConditionalWeakTable<MetalLbConfig, ConditionalWeakTable<IReadOnlyList<Node>, ConditionalWeakTable<object, ClusterIndex[]>>> Indexes = new();
    private static readonly object NoMemberlist = new();

    private readonly Dictionary<string, Node> _byName = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string>? _live;
    private readonly bool _ignoreExcludeLabel;
    private readonly ConcurrentDictionary<(string Pool, ulong Ads), L2Candidates> _l2 = new();

    private ClusterIndex(MetalLbConfig config, IReadOnlyList<Node> nodes, IReadOnlySet<string>? live, bool ignoreExcludeLabel)
    {
        Config = config;
        Nodes = nodes;
        _live = live;
        _ignoreExcludeLabel = ignoreExcludeLabel;
        foreach (var node in nodes)
            _byName.TryAdd(node.Metadata.Name ?? "", node);   // the first, as AnnouncementRequest.FindNode
    }

    public static ClusterIndex For(SpeakerScope scope)
    {
        var byNodes = Indexes.GetValue(scope.Config, static _ => new());
        var byLive = byNodes.GetValue(scope.Nodes, static _ => new());
        var pair = byLive.GetValue(scope.LiveSpeakers ?? NoMemberlist, static _ => new ClusterIndex[2]);
        int i = scope.IgnoreExcludeLabel ? 1 : 0;
        lock (pair)
            return pair[i] ??= new ClusterIndex(scope.Config, scope.Nodes, scope.LiveSpeakers, scope.IgnoreExcludeLabel);
    }

    public MetalLbConfig Config { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public Node? Find(string name) => _byName.GetValueOrDefault(name);

    public bool IsLive(string name) => _live?.Contains(name) ?? true;

    public NotAnnouncedReason? Ineligible(Node node) => NodeEligibility.Check(node, _ignoreExcludeLabel);

    /// <summary>
    /// The candidates for the ads of <paramref name="poolAds"/> selected by <paramref name="mask"/>
    /// (bit i = the pool's ad i applies to the service).
    /// </summary>
    public L2Candidates L2(string pool, ulong mask, IReadOnlyList<L2AdvertisementConfig> poolAds) =>
        _l2.GetOrAdd((pool, mask), static (key, arg) =>
        {
            var ads = new List<L2AdvertisementConfig>();
            for (int i = 0; i < arg.PoolAds.Count; i++)
                if ((key.Ads & (1UL << i)) != 0) ads.Add(arg.PoolAds[i]);
            return new L2Candidates(arg.Self, ads);
        }, (Self: this, PoolAds: poolAds));
}
