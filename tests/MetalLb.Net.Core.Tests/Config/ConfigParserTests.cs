using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

/// <summary>The whole-result contract: what is usable when, and that every error is reported.</summary>
public class ConfigParserTests
{
    [Fact]
    public void Empty_input_is_a_valid_empty_configuration()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput()));
        Assert.Empty(config.Pools);
        Assert.Empty(config.Peers);
        Assert.Empty(config.CommunityAliases);
    }

    [Fact]
    public void Pools_stay_usable_when_only_other_objects_are_invalid()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            Peers = [Peer("p", s => s.MyASN = 0)],
            L2Advertisements = [L2("l2", s => s.IPAddressPools = ["x", "x"])],
            BgpAdvertisements = [Bgp("bgp", s => s.AggregationLength = 40)],
            BfdProfiles = [Bfd("bfd", s => s.MinimumTtl = 0)],
        }));
        Assert.Equal(
            [(ConfigKinds.BFDProfile, "bfd"), (ConfigKinds.BGPPeer, "p"), (ConfigKinds.L2Advertisement, "l2"), (ConfigKinds.BGPAdvertisement, "bgp")],
            result.Errors.Select(e => (e.Kind, e.Name)));
        Assert.Equal("default", Assert.Single(result.Pools!).Name);
        Assert.Null(result.Config);
    }

    [Fact]
    public void A_transient_error_alone_still_makes_the_configuration_invalid()
    {
        var result = ConfigParser.Parse(Input(i => i with { BgpAdvertisements = [Bgp("ad", s => s.Communities = ["later"])] }));
        Assert.True(Assert.Single(result.Errors).Transient);
        Assert.Null(result.Config);
        Assert.NotNull(result.Pools);
    }

    [Fact]
    public void Errors_of_one_object_are_all_reported()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            Peers = [Peer("p", s => { s.MyASN = 0; s.PeerAddress = "nowhere"; s.HoldTime = "1s"; })],
        }));
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("p", e.Name));
    }

    [Fact]
    public void A_bad_pool_causes_no_advertisement_errors()
    {
        // B5 would fail against a /24 pool; the pool is broken, so only the pool is blamed.
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("bad", "192.0.2.0/24", "nonsense")],
            BgpAdvertisements = [Bgp("ad", s => { s.IPAddressPools = ["bad"]; s.AggregationLength = 16; })],
        });
        ConfigAssert.SingleError(result, ConfigKinds.IPAddressPool, "bad", "nonsense");
    }

    [Fact]
    public void Selectors_differing_only_in_value_order_are_duplicates()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            L2Advertisements = [L2("ad", s => s.NodeSelectors = [Expr("zone", "In", "a", "b"), Expr("zone", "In", "b", "a")])],
        }));
        ConfigAssert.SingleError(result, ConfigKinds.L2Advertisement, "ad", "duplicate definition of nodeSelectors \"zone In (a,b)\"");
    }

    [Fact]
    public void Duplicate_L2_advertisement_names_are_reported()
    {
        var result = ConfigParser.Parse(Input(i => i with { L2Advertisements = [L2("ad"), L2("ad")] }));
        ConfigAssert.SingleError(result, ConfigKinds.L2Advertisement, "ad", "duplicate definition of L2Advertisement");
    }

    [Fact]
    public void Full_configuration_is_assembled()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("web", "192.0.2.0/24").Labelled("expose=bgp"), Pool("lan", "10.0.0.10-10.0.0.20")],
            Communities = [Community("comms", ("no-export", "65535:65281"))],
            L2Advertisements = [L2("l2", s => s.IPAddressPools = ["lan"])],
            BgpAdvertisements = [Bgp("bgp", s => { s.IPAddressPoolSelectors = [Sel("expose=bgp")]; s.Communities = ["no-export"]; s.AggregationLength = 24; })],
            Peers = [Peer("router", s => s.BFDProfile = "fast")],
            BfdProfiles = [Bfd("fast")],
        }));
        Assert.Equal(["lan", "web"], config.Pools.Select(p => p.Name));
        Assert.Equal("l2", Assert.Single(config.L2AdvertisementsFor("lan")).Name);
        Assert.Empty(config.L2AdvertisementsFor("web"));
        var bgp = Assert.Single(config.BgpAdvertisementsFor("web"));
        Assert.Equal(BgpCommunity.Standard(65535, 65281), Assert.Single(bgp.Communities));
        Assert.Empty(config.BgpAdvertisementsFor("lan"));
        Assert.Equal("router", Assert.Single(config.Peers).Name);
        Assert.Equal("fast", Assert.Single(config.BfdProfiles).Name);
    }
}
