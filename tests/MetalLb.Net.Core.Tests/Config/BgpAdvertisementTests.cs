using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class BgpAdvertisementTests
{
    private static ConfigInput With(params BGPAdvertisement[] ads) => new()
    {
        Pools = [Pool("range", "3.3.3.2-3.3.3.254"), Pool("small", "1.2.3.0/28"), Pool("v6", "2001:db8::/120")],
        Communities = [Community("comms", ("no-export", "65535:65281"))],
        BgpAdvertisements = ads,
    };

    public static TheoryData<string, BGPAdvertisement, string, bool> Invalid => new()
    {
        { "B1 duplicate ipAddressPools", Bgp("ad", s => s.IPAddressPools = ["small", "small"]), "duplicate definition of ipAddressPools", false },
        { "B1 duplicate communities", Bgp("ad", s => s.Communities = ["1:1", "1:1"]), "duplicate definition of community \"1:1\"", false },
        { "B1 duplicate peers", Bgp("ad", s => s.Peers = ["p", "p"]), "duplicate definition of peers \"p\"", false },
        { "B1 duplicate nodeSelectors", Bgp("ad", s => s.NodeSelectors = [Sel("a=b"), Sel("a=b")]), "duplicate definition of nodeSelectors", false },
        { "B1 service selector that does not convert", Bgp("ad", s => s.ServiceSelectors = [Expr("a", "In")]), "invalid serviceSelectors", false },
        { "B2 serviceSelectors with aggregationLength", Bgp("ad", s => { s.ServiceSelectors = [Sel("a=b")]; s.AggregationLength = 30; }), "serviceSelectors and aggregationLength are mutually exclusive", false },
        { "B2 serviceSelectors with aggregationLengthV6", Bgp("ad", s => { s.ServiceSelectors = [Sel("a=b")]; s.AggregationLengthV6 = 64; }), "serviceSelectors and aggregationLengthV6 are mutually exclusive", false },
        { "B3 aggregationLength above 32", Bgp("ad", s => s.AggregationLength = 33), "invalid aggregation length 33 for IPv4", false },
        { "B3 aggregationLengthV6 above 128", Bgp("ad", s => s.AggregationLengthV6 = 129), "invalid aggregation length 129 for IPv6", false },
        { "B4 literal with a bad value is a hard error", Bgp("ad", s => s.Communities = ["99999999:1"]), "invalid community \"99999999:1\"", false },
        { "B4 misspelt large prefix is a hard error", Bgp("ad", s => s.Communities = ["larg:1:2:3"]), "invalid community \"larg:1:2:3\"", false },
        { "B4 unknown alias is transient", Bgp("ad", s => s.Communities = ["foo"]), "no Community object defines an alias", true },
        { "B4 bad format is transient", Bgp("ad", s => s.Communities = ["1234"]), "invalid community \"1234\"", true },
        { "B5 range pool summarised to /26 rejects 24", Bgp("ad", s => { s.IPAddressPools = ["range"]; s.AggregationLength = 24; }), "prefix 26 in pool \"range\"", false },
        { "B5 /28 pool rejects 26", Bgp("ad", s => { s.IPAddressPools = ["small"]; s.AggregationLength = 26; }), "invalid aggregation length 26", false },
        { "B5 IPv6 /120 pool rejects 112", Bgp("ad", s => { s.IPAddressPools = ["v6"]; s.AggregationLengthV6 = 112; }), "invalid aggregation length 112", false },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_advertisement_is_blamed(string rule, BGPAdvertisement ad, string message, bool transient)
    {
        var result = ConfigParser.Parse(With(ad));
        var error = ConfigAssert.SingleError(result, ConfigKinds.BGPAdvertisement, "ad", message);
        Assert.Equal(transient, error.Transient);
        Assert.True(result.Pools is not null, rule + ": an advertisement error must not block allocation");
    }

    [Fact]
    public void B5_range_pool_accepts_its_widest_CIDR_length()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(With(Bgp("ad", s => { s.IPAddressPools = ["range"]; s.AggregationLength = 26; }))));
        Assert.Equal(26, Assert.Single(config.BgpAdvertisementsFor("range")).AggregationLength);
    }

    [Fact]
    public void B4_ad_using_a_broken_alias_is_not_blamed_twice()
    {
        var input = With(Bgp("ad", s => s.Communities = ["broken"])) with { Communities = [Community("comms", ("broken", "1:99999999"))] };
        var result = ConfigParser.Parse(input);
        ConfigAssert.SingleError(result, ConfigKinds.Community, "comms", "parsing community \"broken\"");
    }

    [Fact]
    public void Defaults_aliases_and_attachment()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(With(
            Bgp("all", s => { s.Communities = ["no-export", "large:1:2:3", "7:8"]; s.LocalPref = 100; s.Peers = ["p1"]; }))));
        var ad = Assert.Single(config.BgpAdvertisementsFor("v6"));
        Assert.Same(ad, Assert.Single(config.BgpAdvertisementsFor("small")));
        Assert.Equal(32, ad.AggregationLength);
        Assert.Equal(128, ad.AggregationLengthV6);
        Assert.Equal(100u, ad.LocalPref);
        Assert.Equal(["65535:65281", "large:1:2:3", "7:8"], ad.Communities.Select(c => c.ToString()));
        Assert.True(ad.SendsTo("p1"));
        Assert.False(ad.SendsTo("p2"));
    }

    [Fact]
    public void B4_an_alias_spelt_like_a_literal_wins_as_upstream_looks_aliases_up_first()
    {
        var input = With(Bgp("ad", s => s.Communities = ["1:1"])) with { Communities = [Community("comms", ("1:1", "2:2"))] };
        var ad = Assert.Single(ConfigAssert.Valid(ConfigParser.Parse(input)).BgpAdvertisementsFor("small"));
        Assert.Equal(BgpCommunity.Standard(2, 2), Assert.Single(ad.Communities));
    }

    [Fact]
    public void Named_pool_only()
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(With(Bgp("ad", s => s.IPAddressPools = ["small", "unknown"]))));
        Assert.Single(config.BgpAdvertisementsFor("small"));
        Assert.Empty(config.BgpAdvertisementsFor("range"));
        Assert.Empty(config.BgpAdvertisementsFor("v6"));
    }
}
