using System.Security.Cryptography;
using System.Text;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Layer 2 mode: which single node answers ARP/NDP for a service (docs/upstream-speaker.md §4.1-4.3).
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
    public static byte[] Hash(string nodeName, string ip)
    {
        var digest = new byte[SHA256.HashSizeInBytes];
        HashInto(nodeName, ip, digest);
        return digest;
    }

    /// <summary><see cref="Hash"/> into <paramref name="digest"/>, without allocating.</summary>
    private static void HashInto(string nodeName, string ip, Span<byte> digest)
    {
        int max = Encoding.UTF8.GetMaxByteCount(nodeName.Length + 1 + ip.Length);
        Span<byte> text = max <= 512 ? stackalloc byte[max] : new byte[max];
        int length = Encoding.UTF8.GetBytes(nodeName, text);
        text[length++] = (byte)'#';
        length += Encoding.UTF8.GetBytes(ip, text[length..]);
        SHA256.HashData(text[..length], digest);
    }

    /// <summary>
    /// True when <paramref name="self"/>, a candidate scoring <paramref name="topScore"/>, comes
    /// first in election order (§4.2). Its hash is compared with the other tied candidates' until
    /// one beats it: a loser usually stops after a few hashes, only the winner hashes them all.
    /// </summary>
    internal static bool Wins(ReadOnlySpan<(string Name, long Score)> candidates, long topScore, string self, string ip)
    {
        Span<byte> mine = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(self, ip, mine);
        foreach (var (name, score) in candidates)
        {
            if (score != topScore || name == self) continue;
            HashInto(name, ip, hash);
            int order = hash.SequenceCompareTo(mine);
            if (order < 0 || (order == 0 && string.CompareOrdinal(name, self) < 0)) return false;
        }
        return true;
    }

    /// <summary>
    /// The first candidate in election order (§4.2) without ordering the others: among those
    /// scoring <paramref name="topScore"/> (the highest), the smallest hash, then the smaller
    /// name. Only the candidates tied at the top are hashed: a lower score can never win.
    /// </summary>
    internal static string Winner(ReadOnlySpan<(string Name, long Score)> candidates, long topScore, string ip)
    {
        string? best = null;
        Span<byte> bestHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (var (name, score) in candidates)
        {
            if (score != topScore || name == best) continue;   // a name on two Nodes hashes alike
            HashInto(name, ip, hash);
            int order = best is null ? -1 : hash.SequenceCompareTo(bestHash);
            if (order < 0 || (order == 0 && string.CompareOrdinal(name, best) < 0))
            {
                best = name;
                hash.CopyTo(bestHash);
            }
        }
        return best ?? throw new ArgumentException("no candidate scores the top score", nameof(candidates));
    }

    private static L2Election NoOne(AnnouncementRequest request, List<L2AdvertisementConfig> ads, NotAnnouncedReason reason) =>
        new(request, ads, [], null, reason);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
