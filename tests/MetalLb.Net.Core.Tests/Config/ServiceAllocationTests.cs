using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Selectors;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class ServiceAllocationTests
{
    private static PoolAllocation Parse(Api.MetalLb.ServiceAllocation allocation) =>
        ConfigAssert.Valid(ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("a", "192.0.2.0/24").With(s => s.ServiceAllocation = allocation)],
            Namespaces = [Namespace("red", "team=red"), Namespace("blue", "team=blue"), Namespace("red2", "team=red")],
        })).Pools[0].Allocation!;

    [Fact]
    public void Priority_only_matches_every_service()
    {
        var allocation = Parse(new() { Priority = 5 });
        Assert.Equal(5, allocation.Priority);
        Assert.Empty(allocation.Namespaces);
        Assert.False(allocation.HasNamespaceRestriction);
        Assert.Same(Selector.Everything, Assert.Single(allocation.ServiceSelectors));
    }

    [Fact]
    public void Namespace_names_and_selector_matches_are_united()
    {
        var allocation = Parse(new() { Namespaces = ["green"], NamespaceSelectors = [Sel("team=red")] });
        Assert.Equal(0, allocation.Priority);
        Assert.Equal(["green", "red", "red2"], allocation.Namespaces.Order(StringComparer.Ordinal));
        Assert.True(allocation.HasNamespaceRestriction);
        Assert.Empty(allocation.ServiceSelectors);
    }

    [Fact]
    public void Q2_namespace_selector_matching_nothing_still_restricts()
    {
        var allocation = Parse(new() { NamespaceSelectors = [Sel("team=none")] });
        Assert.Empty(allocation.Namespaces);
        Assert.True(allocation.HasNamespaceRestriction);
        Assert.Empty(allocation.ServiceSelectors);
    }

    [Fact]
    public void Service_selectors_are_compiled()
    {
        var allocation = Parse(new() { ServiceSelectors = [Sel("app=web")] });
        var selector = Assert.Single(allocation.ServiceSelectors);
        Assert.True(selector.Matches(Labels("app=web")));
        Assert.False(selector.Matches(Labels("app=db")));
        Assert.False(allocation.HasNamespaceRestriction);
    }
}
