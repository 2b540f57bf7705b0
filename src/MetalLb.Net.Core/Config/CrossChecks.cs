using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Config;

/// <summary>Checks across parsed objects (docs/upstream-controller.md §3.7).</summary>
internal static class CrossChecks
{
    /// <summary>
    /// BFD echo mode cannot run on IPv6 sessions: a pool with an IPv6 CIDR must not be
    /// advertised towards a peer (named, or every peer when the ad names none) whose BFD
    /// profile has echoMode. Blamed on the advertisement, which links pool and peer.
    /// </summary>
    public static void Check(
        IReadOnlyList<Pool> pools,
        IReadOnlyDictionary<string, List<BgpAdvertisementConfig>> bgpByPool,
        IReadOnlyList<PeerConfig> peers,
        IReadOnlyList<BfdProfileConfig> profiles,
        List<ConfigError> errors)
    {
        var echo = profiles.Where(p => p.EchoMode).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var echoPeers = peers.Where(p => p.BfdProfile is not null && echo.Contains(p.BfdProfile)).ToList();
        if (echoPeers.Count == 0) return;
        var reported = new HashSet<(string Ad, string Peer)>();
        foreach (var pool in pools.Where(p => p.HasFamily(IpFamily.IPv6)))
        {
            foreach (var ad in bgpByPool[pool.Name])
            {
                foreach (var peer in echoPeers.Where(p => ad.SendsTo(p.Name)))
                {
                    if (!reported.Add((ad.Name, peer.Name))) continue;
                    errors.Add(new ConfigError(ConfigKinds.BGPAdvertisement, ad.Name,
                        $"pool {pool.Name} has bgpadvertisement {ad.Name} which references peer {peer.Name} which has bfd echo enabled, which is not possible for IPv6: disable echoMode in BFDProfile \"{peer.BfdProfile}\" or do not advertise this pool to that peer"));
                }
            }
        }
    }
}
