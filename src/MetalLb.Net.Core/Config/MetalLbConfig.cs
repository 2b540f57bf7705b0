namespace MetalLb.Net.Core.Config;

/// <summary>
/// A whole validated configuration. Lists are sorted by object name, as upstream sorts before
/// parsing. Advertisements are attached to the pools they select (by name or by pool labels;
/// no pool selection = every pool).
/// </summary>
public sealed record MetalLbConfig(
    IReadOnlyList<Pool> Pools,
    IReadOnlyList<PeerConfig> Peers,
    IReadOnlyList<BfdProfileConfig> BfdProfiles,
    IReadOnlyDictionary<string, BgpCommunity> CommunityAliases,
    IReadOnlyDictionary<string, IReadOnlyList<L2AdvertisementConfig>> L2AdvertisementsByPool,
    IReadOnlyDictionary<string, IReadOnlyList<BgpAdvertisementConfig>> BgpAdvertisementsByPool)
{
    public Pool? FindPool(string name) => Pools.FirstOrDefault(p => p.Name == name);

    public IReadOnlyList<L2AdvertisementConfig> L2AdvertisementsFor(string pool) =>
        L2AdvertisementsByPool.GetValueOrDefault(pool) ?? [];

    public IReadOnlyList<BgpAdvertisementConfig> BgpAdvertisementsFor(string pool) =>
        BgpAdvertisementsByPool.GetValueOrDefault(pool) ?? [];
}
