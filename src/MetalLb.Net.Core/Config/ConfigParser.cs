using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// The one entry point of configuration parsing: API objects in, a validated configuration or
/// every error out. Follows upstream's config.For (docs/upstream-controller.md §3) but reports all errors,
/// each blaming the object to fix, instead of stopping at the first.
/// </summary>
public static class ConfigParser
{
    public static ConfigResult Parse(ConfigInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<ConfigError>();
        // Upstream sorts every list by name first, so "the later object" is the later name.
        var pools = ByName(input.Pools);
        var communities = ByName(input.Communities);
        var l2Ads = ByName(input.L2Advertisements);
        var bgpAds = ByName(input.BgpAdvertisements);
        var peerObjects = ByName(input.Peers);
        var bfdObjects = ByName(input.BfdProfiles);

        var bfdNames = new HashSet<string>(StringComparer.Ordinal);
        var bfdProfiles = BfdProfileParser.Parse(bfdObjects, bfdNames, errors);
        var peers = PeerParser.Parse(peerObjects, input.Secrets, bfdNames, errors);

        var aliasNames = new HashSet<string>(StringComparer.Ordinal);
        var aliases = CommunityParser.Parse(communities, aliasNames, errors);
        var parsedPools = PoolParser.Parse(pools, input.Namespaces, errors);

        var l2ByPool = parsedPools.ToDictionary(p => p.Name, _ => new List<L2AdvertisementConfig>(), StringComparer.Ordinal);
        L2AdvertisementParser.Parse(l2Ads, parsedPools, l2ByPool, errors);
        var bgpByPool = parsedPools.ToDictionary(p => p.Name, _ => new List<BgpAdvertisementConfig>(), StringComparer.Ordinal);
        BgpAdvertisementParser.Parse(bgpAds, parsedPools, new CommunityTable(aliases, aliasNames), input.Nodes, bgpByPool, errors);

        CrossChecks.Check(parsedPools, bgpByPool, peers, bfdProfiles, errors);
        ModeValidator.Validate(input with
        {
            Pools = pools, Communities = communities, BgpAdvertisements = bgpAds, Peers = peerObjects, BfdProfiles = bfdObjects,
        }, parsedPools, peers, bgpByPool, errors);

        // Allocation needs only pools and communities, as upstream's controller parses only those.
        bool poolsValid = !errors.Any(e => e.Kind is ConfigKinds.IPAddressPool or ConfigKinds.Community);
        var config = errors.Count > 0 ? null : new MetalLbConfig(
            parsedPools,
            peers,
            bfdProfiles,
            aliases,
            l2ByPool.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<L2AdvertisementConfig>)kv.Value, StringComparer.Ordinal),
            bgpByPool.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<BgpAdvertisementConfig>)kv.Value, StringComparer.Ordinal));
        return new ConfigResult(poolsValid ? parsedPools : null, config, errors);
    }

    private static List<T> ByName<T>(IReadOnlyList<T> items) where T : KubeObject =>
        items.OrderBy(i => i.Metadata.Name ?? "", StringComparer.Ordinal).ToList();
}
