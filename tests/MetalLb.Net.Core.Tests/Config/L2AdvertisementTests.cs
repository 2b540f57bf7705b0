using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class L2AdvertisementTests
{
    private static readonly IPAddressPool[] Pools =
    [
        Pool("blue", "192.0.2.0/24").Labelled("color=blue"),
        Pool("red", "198.51.100.0/24").Labelled("color=red"),
        Pool("plain", "203.0.113.0/24"),
    ];

    public static TheoryData<string, L2Advertisement, string> Invalid => new()
    {
        { "L2 duplicate ipAddressPools", L2("ad", s => s.IPAddressPools = ["blue", "blue"]), "duplicate definition of ipAddressPools \"blue\"" },
        { "L2 duplicate ipAddressPoolSelectors", L2("ad", s => s.IPAddressPoolSelectors = [Sel("color=red"), Sel("color=red")]), "duplicate definition of ipAddressPoolSelectors" },
        { "L2 duplicate nodeSelectors", L2("ad", s => s.NodeSelectors = [Sel("a=b"), Sel("a=b")]), "duplicate definition of nodeSelectors" },
        { "L2 duplicate serviceSelectors", L2("ad", s => s.ServiceSelectors = [Sel("a=b"), Sel("a=b")]), "duplicate definition of serviceSelectors" },
        { "L2 node selector that does not convert", L2("ad", s => s.NodeSelectors = [Expr("a", "Near", "b")]), "invalid nodeSelectors" },
        { "L2 preferred node selector that does not convert", L2("ad", s => s.PreferredNodeSelectors = [new() { Weight = 10, Preference = Expr("a", "In") }]), "invalid preferred node selector" },
        { "L2 preferred weight out of range", L2("ad", s => s.PreferredNodeSelectors = [new() { Weight = 101, Preference = Sel("a=b") }]), "weight 101 must be in 1-100" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_advertisement_is_blamed(string rule, L2Advertisement ad, string message)
    {
        var result = ConfigParser.Parse(new ConfigInput { Pools = Pools, L2Advertisements = [ad] });
        ConfigAssert.SingleError(result, ConfigKinds.L2Advertisement, "ad", message);
        Assert.True(result.Pools is not null, rule + ": an L2 error must not block allocation");
    }

    public static TheoryData<string, L2Advertisement, string[]> Attachment => new()
    {
        { "§3 no pool selection reaches every pool", L2("ad"), ["blue", "plain", "red"] },
        { "§3 named pools, unknown names ignored", L2("ad", s => s.IPAddressPools = ["red", "missing"]), ["red"] },
        { "§3 selector reaches labelled pools", L2("ad", s => s.IPAddressPoolSelectors = [Sel("color=blue")]), ["blue"] },
        { "§3 names and selectors are united", L2("ad", s => { s.IPAddressPools = ["plain"]; s.IPAddressPoolSelectors = [Sel("color=red")]; }), ["plain", "red"] },
        { "§3 selector matching nothing does not mean all", L2("ad", s => s.IPAddressPoolSelectors = [Sel("color=green")]), [] },
    };

    [Theory]
    [MemberData(nameof(Attachment))]
    public void Advertisement_reaches_the_selected_pools(string rule, L2Advertisement ad, string[] pools)
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput { Pools = Pools, L2Advertisements = [ad] }));
        var reached = config.Pools.Where(p => config.L2AdvertisementsFor(p.Name).Count > 0).Select(p => p.Name);
        Assert.True(pools.SequenceEqual(reached), rule);
    }

    [Fact]
    public void A_pool_reached_by_name_and_selector_gets_the_ad_once()
    {
        var ad = L2("ad", s => { s.IPAddressPools = ["blue"]; s.IPAddressPoolSelectors = [Sel("color=blue")]; });
        var config = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput { Pools = Pools, L2Advertisements = [ad] }));
        Assert.Single(config.L2AdvertisementsFor("blue"));
    }

    [Fact]
    public void Identical_ads_without_preferences_are_deduplicated_but_ads_with_preferences_are_not()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput
        {
            Pools = Pools,
            L2Advertisements =
            [
                L2("one", s => s.Interfaces = ["eth0"]), L2("two", s => s.Interfaces = ["eth0"]),
                L2("pref1", s => s.PreferredNodeSelectors = [new() { Weight = 5, Preference = Sel("zone=a") }]),
                L2("pref2", s => s.PreferredNodeSelectors = [new() { Weight = 5, Preference = Sel("zone=a") }]),
            ],
        }));
        Assert.Equal(["one", "pref1", "pref2"], config.L2AdvertisementsFor("red").Select(a => a.Name));
    }

    [Fact]
    public void Fields_are_carried_into_the_model()
    {
        var ad = L2("ad", s =>
        {
            s.Interfaces = ["eth1"];
            s.NodeSelectors = [Sel("role=edge")];
            s.ServiceSelectors = [Sel("app=web")];
            s.PreferredNodeSelectors = [new() { Weight = 30, Preference = Sel("zone=a") }];
        });
        var l2 = Assert.Single(ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput { Pools = Pools, L2Advertisements = [ad] })).L2AdvertisementsFor("red"));
        Assert.Equal(["eth1"], l2.Interfaces);
        Assert.True(l2.SelectsNode(Labels("role=edge")));
        Assert.False(l2.SelectsNode(Labels("role=core")));
        Assert.True(l2.SelectsService(Labels("app=web")));
        Assert.Equal(30, Assert.Single(l2.PreferredNodeSelectors).Weight);
    }
}
