using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class ModeValidatorTests
{
    public static TheoryData<string, BGPPeer, string> NativePeerOptions => new()
    {
        { "§3.8 native rejects bfdProfile", Peer("p", s => s.BFDProfile = "b"), "has bfdProfile set on native bgp mode" },
        { "§3.8 native rejects keepaliveTime", Peer("p", s => s.KeepaliveTime = "10s"), "keepaliveTime" },
        { "§3.8 native rejects vrf", Peer("p", s => s.Vrf = "red"), "vrf" },
        { "§3.8 native rejects connectTime", Peer("p", s => s.ConnectTime = "5s"), "connectTime" },
        { "§3.8 native rejects graceful restart", Peer("p", s => s.EnableGracefulRestart = true), "enableGracefulRestart" },
        { "§3.8 native rejects disableMP", Peer("p", s => s.DisableMP = true), "disableMP" },
        { "§3.8 native rejects dualStackAddressFamily", Peer("p", s => s.DualStackAddressFamily = true), "dualStackAddressFamily" },
        { "§3.8 native rejects dynamicASN", Peer("p", s => { s.PeerASN = null; s.DynamicASN = "external"; }), "dynamicASN" },
        { "§3.8 native rejects interface", Peer("p", s => { s.PeerAddress = null; s.Interface = "eth0"; }), "interface" },
        { "§3.8 native rejects localASN", Peer("p", s => s.LocalASN = 65000), "localASN" },
    };

    [Theory]
    [MemberData(nameof(NativePeerOptions))]
    public void Native_rejects_FRR_only_peer_options(string rule, BGPPeer peer, string message)
    {
        var input = Input(i => i with { Mode = BgpMode.Native, Peers = [peer], BfdProfiles = [] });
        if (peer.Spec.BFDProfile is not null)
        {
            // The missing profile is also reported (R10); the native rule must be there too.
            var result = ConfigParser.Parse(input);
            Assert.Contains(result.Errors, e => e.Kind == ConfigKinds.BGPPeer && e.Message.Contains(message, StringComparison.Ordinal));
            return;
        }
        ConfigAssert.SingleError(ConfigParser.Parse(input), ConfigKinds.BGPPeer, "p", message);
        Assert.True(ConfigParser.Parse(input with { Mode = BgpMode.FrrK8s }).IsValid, rule + " is fine in FRR-K8s mode");
    }

    [Fact]
    public void Native_rejects_any_BFD_profile() =>
        ConfigAssert.SingleError(ConfigParser.Parse(Input(i => i with { Mode = BgpMode.Native, BfdProfiles = [Bfd("b")] })),
            ConfigKinds.BFDProfile, "b", "native bgp mode does not support BFD");

    [Fact]
    public void Native_rejects_an_IPv6_pool_selected_by_a_BGP_advertisement()
    {
        var input = new ConfigInput { Mode = BgpMode.Native, Pools = [Pool("v6", "2001:db8::/64")], BgpAdvertisements = [Bgp("ad")] };
        var result = ConfigParser.Parse(input);
        ConfigAssert.SingleError(result, ConfigKinds.BGPAdvertisement, "ad", "pool \"v6\" has ipv6 CIDR 2001:db8::/64, native bgp mode does not support ipv6");
        Assert.NotNull(result.Pools);
        Assert.True(ConfigParser.Parse(input with { BgpAdvertisements = [] }).IsValid);
    }

    [Fact]
    public void Native_rejects_large_communities_in_ads_and_Community_objects()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            Mode = BgpMode.Native,
            Communities = [Community("comms", ("big", "large:1:2:3"))],
            BgpAdvertisements = [Bgp("ad", s => s.Communities = ["large:4:5:6"])],
        }));
        Assert.Equal([(ConfigKinds.BGPAdvertisement, "ad"), (ConfigKinds.Community, "comms")], result.Errors.Select(e => (e.Kind, e.Name)));
        Assert.All(result.Errors, e => Assert.Contains("only supports legacy communities", e.Message, StringComparison.Ordinal));
        Assert.Null(result.Pools);
    }

    public static TheoryData<string, BGPPeer, BGPPeer, string?> FrrPairs => new()
    {
        { "§3.8 FRR routerID must be equal", Peer("a", s => s.RouterID = "10.0.0.1"), Peer("b", s => { s.RouterID = "10.0.0.2"; s.PeerAddress = "192.0.2.2"; }), "in FRR mode all RouterID must be equal" },
        { "§3.8 FRR duplicate address", Peer("a"), Peer("b"), "FRR mode doesn't support duplicate BGPPeers" },
        { "§3.8 FRR myASN must be equal in a VRF", Peer("a"), Peer("b", s => { s.MyASN = 64999; s.PeerAddress = "192.0.2.2"; }), "all myAsn must be equal for the same VRF" },
        { "§3.8 FRR same address in different VRFs is fine", Peer("a"), Peer("b", s => s.Vrf = "red"), null },
        { "§3.8 FRR different myASN in different VRFs is fine", Peer("a"), Peer("b", s => { s.MyASN = 64999; s.Vrf = "red"; }), null },
        { "§3.8 FRR peers on disjoint nodes do not meet", Peer("a", s => { s.RouterID = "10.0.0.1"; s.NodeSelectors = [Sel("zone=a")]; }), Peer("b", s => { s.RouterID = "10.0.0.2"; s.NodeSelectors = [Sel("zone=b")]; }), null },
    };

    [Theory]
    [MemberData(nameof(FrrPairs))]
    public void FRR_peers_sharing_a_node(string rule, BGPPeer first, BGPPeer second, string? message)
    {
        var input = Input(i => i with { Peers = [second, first], Nodes = [Node("n1", "zone=a"), Node("n2", "zone=b")] });
        var result = ConfigParser.Parse(input);
        if (message is null)
        {
            Assert.True(result.IsValid, rule);
            return;
        }
        ConfigAssert.SingleError(result, ConfigKinds.BGPPeer, "b", message);
        Assert.True(ConfigParser.Parse(input with { Mode = BgpMode.Native }).IsValid, rule + " does not apply in native mode");
    }

    [Fact]
    public void FRR_without_nodes_every_pair_is_assumed_to_meet()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            Peers = [Peer("a", s => { s.RouterID = "10.0.0.1"; s.NodeSelectors = [Sel("zone=a")]; }), Peer("b", s => { s.RouterID = "10.0.0.2"; s.PeerAddress = "192.0.2.2"; s.NodeSelectors = [Sel("zone=b")]; })],
        }));
        ConfigAssert.SingleError(result, ConfigKinds.BGPPeer, "b", "RouterID");
    }
}
