using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Config;

/// <summary>The rules of the BGP implementation in use (docs/upstream-controller.md §3.8).</summary>
internal static class ModeValidator
{
    /// <summary><paramref name="input"/> holds the name-sorted objects; the parsed lists hold the valid ones.</summary>
    public static void Validate(
        ConfigInput input,
        IReadOnlyList<Pool> pools,
        IReadOnlyList<PeerConfig> peers,
        IReadOnlyDictionary<string, List<BgpAdvertisementConfig>> bgpByPool,
        List<ConfigError> errors)
    {
        if (input.Mode == BgpMode.Native)
            ValidateNative(input, pools, bgpByPool, errors);
        else
            ValidateFrr(input, peers, errors);
    }

    /// <summary>
    /// FRR runs one BGP instance per node (and VRF): peers that can meet on a node must share
    /// routerID and myASN (same VRF) and be distinct sessions. Without Node objects every pair is
    /// assumed to meet. The later peer (name order) is blamed.
    /// </summary>
    private static void ValidateFrr(ConfigInput input, IReadOnlyList<PeerConfig> peers, List<ConfigError> errors)
    {
        for (int j = 1; j < peers.Count; j++)
        {
            var later = peers[j];
            for (int i = 0; i < j; i++)
            {
                var earlier = peers[i];
                bool shareNode = input.Nodes.Count == 0
                    || input.Nodes.Any(n => earlier.SelectsNode(n.Metadata.Labels) && later.SelectsNode(n.Metadata.Labels));
                if (!shareNode) continue;
                if (later.RouterId != earlier.RouterId)
                    errors.Add(Peer(later, $"peer {later.Name} has RouterID {Text(later.RouterId)} different from {Text(earlier.RouterId)} of peer {earlier.Name}, in FRR mode all RouterID must be equal for peers on the same node"));
                if (Identity(later) == Identity(earlier))
                    errors.Add(Peer(later, $"peer {later.Name} has the same address/interface and vrf as peer {earlier.Name}, FRR mode doesn't support duplicate BGPPeers on the same node"));
                if (later.Vrf == earlier.Vrf && later.MyAsn != earlier.MyAsn)
                    errors.Add(Peer(later, $"peer {later.Name} has myAsn {later.MyAsn} different from {earlier.MyAsn} of peer {earlier.Name}, in FRR mode all myAsn must be equal for the same VRF"));
            }
        }
    }

    /// <summary>Upstream's native engine: IPv4 only, standard communities, none of the FRR-only peer options.</summary>
    private static void ValidateNative(
        ConfigInput input, IReadOnlyList<Pool> pools, IReadOnlyDictionary<string, List<BgpAdvertisementConfig>> bgpByPool, List<ConfigError> errors)
    {
        foreach (var peer in input.Peers)
        {
            var s = peer.Spec;
            void Unsupported(bool set, string field)
            {
                if (set)
                    errors.Add(new ConfigError(ConfigKinds.BGPPeer, peer.Metadata.Name ?? "", $"peer {peer.Metadata.Name} has {field} set on native bgp mode, which does not support it"));
            }
            Unsupported(!string.IsNullOrEmpty(s.BFDProfile), "bfdProfile");
            Unsupported(DurationParser.TryParse(s.KeepaliveTime, out var keepalive) && keepalive != TimeSpan.Zero, "keepaliveTime");
            Unsupported(!string.IsNullOrEmpty(s.Vrf), "vrf");
            Unsupported(s.ConnectTime is not null, "connectTime");
            Unsupported(s.EnableGracefulRestart == true, "enableGracefulRestart");
            Unsupported(s.DisableMP == true, "disableMP");
            Unsupported(s.DualStackAddressFamily == true, "dualStackAddressFamily");
            Unsupported(!string.IsNullOrEmpty(s.DynamicASN), "dynamicASN");
            Unsupported(!string.IsNullOrEmpty(s.Interface), "interface");
            Unsupported(s.LocalASN is > 0, "localASN");
        }
        foreach (var profile in input.BfdProfiles)
            errors.Add(new ConfigError(ConfigKinds.BFDProfile, profile.Metadata.Name ?? "", "bfd profiles section set: native bgp mode does not support BFD"));
        foreach (var pool in pools)
        {
            var v6 = pool.Prefixes.FirstOrDefault(p => p.Family == IpFamily.IPv6);
            if (v6 == default) continue;
            foreach (var ad in bgpByPool[pool.Name])
                errors.Add(new ConfigError(ConfigKinds.BGPAdvertisement, ad.Name, $"pool \"{pool.Name}\" has ipv6 CIDR {v6}, native bgp mode does not support ipv6: do not select this pool"));
        }
        foreach (var ad in input.BgpAdvertisements)
            foreach (var c in ad.Spec.Communities ?? [])
                if (IsLarge(c))
                    errors.Add(new ConfigError(ConfigKinds.BGPAdvertisement, ad.Metadata.Name ?? "", $"native BGP mode only supports legacy communities, BGP advertisement \"{ad.Metadata.Name}\" has non legacy community \"{c}\""));
        foreach (var community in input.Communities)
            foreach (var alias in community.Spec.Communities ?? [])
                if (IsLarge(alias.Value))
                    errors.Add(new ConfigError(ConfigKinds.Community, community.Metadata.Name ?? "", $"native BGP mode only supports legacy communities, BGP community CR \"{community.Metadata.Name}\" has non legacy community \"{alias.Name}\" ({alias.Value})"));
    }

    // Unparsable strings are skipped: their own rules report them (upstream does the same).
    private static bool IsLarge(string? text) =>
        CommunityParser.TryParse(text, out var c, out _) == CommunityParseError.None && c.IsLarge;

    private static string Identity(PeerConfig p) => $"{p.Address?.ToString() ?? p.Interface}-{p.Vrf}";

    private static string Text(IpAddress? ip) => ip?.ToString() ?? "(unset)";

    private static ConfigError Peer(PeerConfig p, string message) => new(ConfigKinds.BGPPeer, p.Name, message);
}
