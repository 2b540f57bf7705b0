using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

/// <summary>B6: local preference consistency between ads sharing a pool.</summary>
public class LocalPrefTests
{
    private static readonly Node[] Nodes = [Node("n1", "zone=a"), Node("n2", "zone=b")];

    private static BGPAdvertisement Ad(string name, uint pref, Action<BGPAdvertisementSpec>? more = null) =>
        Bgp(name, s => { s.LocalPref = pref; more?.Invoke(s); });

    public static TheoryData<string, string, BGPAdvertisement, BGPAdvertisement, bool> Cases => new()
    {
        { "B6 different localPref on the same pool conflicts", "192.0.2.0/24", Ad("a", 100), Ad("b", 200), true },
        { "B6 same localPref is fine", "192.0.2.0/24", Ad("a", 100), Ad("b", 100), false },
        { "B6 different v4 aggregation on a v4 pool is fine", "192.0.2.0/24", Ad("a", 100), Ad("b", 200, s => s.AggregationLength = 24), false },
        { "B6 different v6 aggregation on a v4 pool still conflicts", "192.0.2.0/24", Ad("a", 100), Ad("b", 200, s => s.AggregationLengthV6 = 64), true },
        { "B6 dual pool needs both lengths to differ", "192.0.2.0/24,2001:db8::/64", Ad("a", 100), Ad("b", 200, s => s.AggregationLength = 24), true },
        { "B6 dual pool with both lengths different is fine", "192.0.2.0/24,2001:db8::/64", Ad("a", 100), Ad("b", 200, s => { s.AggregationLength = 24; s.AggregationLengthV6 = 64; }), false },
        { "B6 disjoint peers are fine", "192.0.2.0/24", Ad("a", 100, s => s.Peers = ["p1"]), Ad("b", 200, s => s.Peers = ["p2"]), false },
        { "B6 one ad for every peer conflicts", "192.0.2.0/24", Ad("a", 100), Ad("b", 200, s => s.Peers = ["p2"]), true },
        { "B6 disjoint node sets are fine", "192.0.2.0/24", Ad("a", 100, s => s.NodeSelectors = [Sel("zone=a")]), Ad("b", 200, s => s.NodeSelectors = [Sel("zone=b")]), false },
        { "B6 overlapping node sets conflict", "192.0.2.0/24", Ad("a", 100, s => s.NodeSelectors = [Sel("zone=a")]), Ad("b", 200), true },
        { "B6 serviceSelectors skip the check", "192.0.2.0/24", Ad("a", 100), Ad("b", 200, s => s.ServiceSelectors = [Sel("app=web")]), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Local_preference_conflicts(string rule, string addresses, BGPAdvertisement first, BGPAdvertisement second, bool conflict)
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("pool", addresses.Split(','))],
            BgpAdvertisements = [second, first],   // input order does not matter: "b" sorts later
            Nodes = Nodes,
        });
        if (conflict)
            ConfigAssert.SingleError(result, ConfigKinds.BGPAdvertisement, "b", "invalid local preference 200");
        else
            Assert.True(result.IsValid, rule);
    }

    [Fact]
    public void Q9_without_nodes_no_conflict_is_detected()
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("pool", "192.0.2.0/24")],
            BgpAdvertisements = [Ad("a", 100), Ad("b", 200)],
        });
        Assert.True(result.IsValid);
    }
}
