using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class PoolParserTests
{
    public static TheoryData<string, IPAddressPool[], string, string> InvalidPools => new()
    {
        { "P1 missing name", [Pool("", "192.0.2.0/24")], "", "missing pool name" },
        { "P2 no addresses", [Pool("a")], "a", "pool has no prefixes defined" },
        { "P3 bad octet", [Pool("a", "192.0.2.300/24")], "a", "invalid CIDR \"192.0.2.300/24\"" },
        { "P3 prefix length 33", [Pool("a", "192.0.2.0/33")], "a", "invalid CIDR \"192.0.2.0/33\"" },
        { "P3 bare address without length", [Pool("a", "192.0.2.1")], "a", "invalid CIDR \"192.0.2.1\"" },
        { "P3 leading space around a CIDR", [Pool("a", " 192.0.2.0/24")], "a", "invalid CIDR" },
        { "P3 range start after end", [Pool("a", "192.0.2.20-192.0.2.10")], "a", "is after the end IP" },
        { "P3 range with a bad start", [Pool("a", "192.0.2-192.0.2.10")], "a", "invalid start IP" },
        { "P3 range mixing families", [Pool("a", "192.0.2.1-2001:db8::1")], "a", "different address families" },
        { "P4 duplicate namespace", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { Namespaces = ["x", "x"] })], "a", "duplicate definition in namespaces field" },
        { "P5 duplicate namespaceSelectors", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { NamespaceSelectors = [Sel("t=1"), Sel("t=1")] })], "a", "duplicate definition of namespaceSelectors" },
        { "P5 duplicate value in a match expression", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { ServiceSelectors = [Expr("t", "In", "1", "1")] })], "a", "duplicate definition of match expression value" },
        { "P5 duplicate match expressions", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { ServiceSelectors = [new() { MatchExpressions = [new() { Key = "t", Operator = "Exists" }, new() { Key = "t", Operator = "Exists" }] }] })], "a", "duplicate definition of match expressions" },
        { "P5 invalid operator", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { ServiceSelectors = [Expr("t", "Equals", "1")] })], "a", "not a valid label selector operator" },
        { "P5 In without values", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { NamespaceSelectors = [Expr("t", "In")] })], "a", "values set can't be empty" },
        { "P5 Exists with values", [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = new() { NamespaceSelectors = [Expr("t", "Exists", "1")] })], "a", "values set must be empty" },
        { "P6 duplicate pool name", [Pool("a", "192.0.2.0/25"), Pool("a", "192.0.2.128/25")], "a", "duplicate definition of pool \"a\"" },
        { "P7 overlapping CIDR in later pool", [Pool("b", "192.0.2.0/25"), Pool("a", "192.0.2.0/24")], "b", "overlaps with already defined CIDR \"192.0.2.0/24\"" },
        { "P7 overlap inside one pool", [Pool("a", "192.0.2.0/24", "192.0.2.128/25")], "a", "in the same pool" },
        { "P7 range overlapping a CIDR of an earlier pool", [Pool("a", "192.0.2.0/28"), Pool("b", "192.0.2.10-192.0.2.20")], "b", "in pool \"a\"" },
        { "P7 identical IPv6 CIDRs", [Pool("a", "2001:db8::/64"), Pool("b", "2001:db8::/64")], "b", "overlaps" },
    };

    [Theory]
    [MemberData(nameof(InvalidPools))]
    public void Invalid_pool_is_blamed(string rule, IPAddressPool[] pools, string name, string message)
    {
        var result = ConfigParser.Parse(new ConfigInput { Pools = pools });
        ConfigAssert.SingleError(result, ConfigKinds.IPAddressPool, name, message);
        Assert.True(result.Pools is null, rule);
    }

    public static TheoryData<string, string, string[]> Ranges => new()
    {
        { "P3 range summarised into CIDRs", "192.0.2.10-192.0.2.20", ["192.0.2.10/31", "192.0.2.12/30", "192.0.2.16/30", "192.0.2.20/32"] },
        { "P3 spaces around the dash tolerated", "192.0.2.0 - 192.0.2.255", ["192.0.2.0/24"] },
        { "P3 host bits masked off", "10.20.30.40/24", ["10.20.30.0/24"] },
        { "P3 IPv6 range", "2001:db8::1-2001:db8::2", ["2001:db8::1/128", "2001:db8::2/128"] },
        { "P3 single-address range", "192.0.2.7-192.0.2.7", ["192.0.2.7/32"] },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Addresses_become_covering_CIDRs(string rule, string address, string[] cidrs)
    {
        var config = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput { Pools = [Pool("a", address)] }));
        Assert.True(cidrs.SequenceEqual(config.Pools[0].Prefixes.Select(p => p.ToString())), rule);
    }

    [Fact]
    public void Defaults_are_applied()
    {
        var pool = ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput { Pools = [Pool("a", "192.0.2.0/24")] })).Pools[0];
        Assert.True(pool.AutoAssign);
        Assert.False(pool.AvoidBuggyIPs);
        Assert.Null(pool.Allocation);
        Assert.Empty(pool.Labels);
    }

    [Fact]
    public void P7_adjacent_blocks_and_different_families_do_not_overlap()
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("a", "192.0.2.0/25", "2001:db8:1::/64"), Pool("b", "192.0.2.128/25", "2001:db8::/64")],
        });
        Assert.Equal(2, ConfigAssert.Valid(result).Pools.Count);
    }

    [Fact]
    public void Pools_come_out_sorted_by_name_and_keep_their_settings()
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools =
            [
                Pool("zeta", "198.51.100.0/24").With(s => { s.AutoAssign = false; s.AvoidBuggyIPs = true; }).Labelled("tier=web"),
                Pool("alpha", "192.0.2.0/24"),
            ],
        });
        var pools = ConfigAssert.Valid(result).Pools;
        Assert.Equal(["alpha", "zeta"], pools.Select(p => p.Name));
        Assert.False(pools[1].AutoAssign);
        Assert.True(pools[1].AvoidBuggyIPs);
        Assert.Equal("web", pools[1].Labels["tier"]);
    }

    [Fact]
    public void Every_bad_pool_is_reported_not_only_the_first()
    {
        var result = ConfigParser.Parse(new ConfigInput { Pools = [Pool("b", "nonsense"), Pool("a"), Pool("c", "192.0.2.0/24")] });
        Assert.Equal(["a", "b"], result.Errors.Select(e => e.Name));
        Assert.All(result.Errors, e => Assert.Equal(ConfigKinds.IPAddressPool, e.Kind));
        Assert.Null(result.Pools);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Every_bad_address_of_one_pool_is_reported()
    {
        var result = ConfigParser.Parse(new ConfigInput { Pools = [Pool("a", "1.2.3.4", "192.0.2.0/24", "5.6.7.8/40")] });
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("1.2.3.4", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("5.6.7.8/40", result.Errors[1].Message, StringComparison.Ordinal);
    }
}
