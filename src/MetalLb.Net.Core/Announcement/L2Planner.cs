using System.Security.Cryptography;
using System.Text;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Layer 2 mode: which single node answers ARP/NDP for a service (speaker.md §4.1-4.3).
/// Stateless and the same on every speaker, so they agree on the winner without talking.
/// </summary>
public static class L2Planner
{
    public static L2Election Elect(AnnouncementRequest request, MetalLbConfig config)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        return Elect(request, config.L2AdvertisementsFor(request.Pool.Name));
    }

    /// <param name="poolAdvertisements">The L2Advertisements attached to the request's pool.</param>
    public static L2Election Elect(AnnouncementRequest request, IReadOnlyList<L2AdvertisementConfig> poolAdvertisements)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(poolAdvertisements);
        ArgumentOutOfRangeException.ThrowIfZero(request.Ips.Count);

        // §4.1 step 1: the ads that apply are filtered by service, never by node.
        var ads = poolAdvertisements.Where(ad => ad.SelectsService(request.Labels)).ToList();
        if (ads.Count == 0) return NoOne(request, ads, NotAnnouncedReason.NoL2Advertisement);
        // Step 2: upstream withdraws even Cluster services that have nothing serving.
        if (!request.Endpoints.AnyServing) return NoOne(request, ads, NotAnnouncedReason.NoServingEndpoints);
        // Step 3: a shared IP could be claimed by ads selecting different services; upstream refuses.
        if (request.SharingKey is not null && ads.Any(ad => ad.ServiceSelectors.Count > 0))
            return NoOne(request, ads, NotAnnouncedReason.SharedIPWithServiceSelector);

        // Step 5: live speakers on eligible nodes that some applicable ad selects.
        var selected = request.Nodes
            .Where(n => n.Metadata.Name is { Length: > 0 } name
                        && (request.LiveSpeakers?.Contains(name) ?? true)
                        && NodeEligibility.Check(n, request.IgnoreExcludeLabel) is null
                        && ads.Any(ad => ad.SelectsNode(n.Metadata.Labels)))
            .ToList();
        // Step 6: Local keeps only nodes hosting a serving endpoint.
        var candidates = request.ExternalTrafficPolicy == TrafficPolicy.Local
            ? selected.Where(n => request.Endpoints.ServesOnNode(n.Metadata.Name!)).ToList()
            : selected;
        if (candidates.Count == 0)
        {
            return NoOne(request, ads, selected.Count > 0
                ? NotAnnouncedReason.NoLocalEndpoint
                : NotAnnouncedReason.NoEligibleNode);
        }

        // §4.2: ip is the first ingress IP in Go's String() form (IpAddress.ToString matches it).
        string ip = request.Ips[0].ToString();
        var ordered = candidates
            .Select(n => (Name: n.Metadata.Name!, Score: PreferenceScore(ads, n.Metadata.Labels), Hash: Hash(n.Metadata.Name!, ip)))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Hash, ByteOrder.Instance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)   // only for a SHA-256 collision: keeps the order total
            .Select(c => c.Name)
            .ToList();

        var winner = request.FindNode(ordered[0])!;
        return new L2Election(request, ads, ordered, InterfacesFor(ads, winner.Metadata.Labels), null);
    }

    /// <summary>
    /// §4.2 score: for every ad that selects the node, the weights of its preferredNodeSelectors
    /// matching the node's labels. Sums across selectors and across ads, as upstream adds them.
    /// </summary>
    public static long PreferenceScore(IEnumerable<L2AdvertisementConfig> ads, IReadOnlyDictionary<string, string>? nodeLabels)
    {
        ArgumentNullException.ThrowIfNull(ads);
        long score = 0;
        foreach (var ad in ads)
        {
            if (!ad.SelectsNode(nodeLabels)) continue;
            foreach (var p in ad.PreferredNodeSelectors)
                if (p.Preference.Matches(nodeLabels)) score += p.Weight;
        }
        return score;
    }

    /// <summary>
    /// §4.3: the union of the interfaces of the ads selecting the node; any such ad without
    /// interfaces means every interface.
    /// </summary>
    public static AnnounceInterfaces InterfacesFor(IEnumerable<L2AdvertisementConfig> ads, IReadOnlyDictionary<string, string>? nodeLabels)
    {
        ArgumentNullException.ThrowIfNull(ads);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ad in ads.Where(a => a.SelectsNode(nodeLabels)))
        {
            if (ad.Interfaces.Count == 0) return AnnounceInterfaces.Every;
            names.UnionWith(ad.Interfaces);
        }
        return new AnnounceInterfaces(false, names.ToList());
    }

    /// <summary>The tie-break key: SHA-256 of UTF-8 "node#ip", compared as raw bytes.</summary>
    public static byte[] Hash(string nodeName, string ip) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(nodeName + "#" + ip));

    private static L2Election NoOne(AnnouncementRequest request, List<L2AdvertisementConfig> ads, NotAnnouncedReason reason) =>
        new(request, ads, [], null, reason);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
