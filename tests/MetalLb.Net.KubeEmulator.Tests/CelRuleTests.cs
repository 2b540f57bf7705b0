using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Schema;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>The CEL subset on the very rules deploy/crds holds, plus the parts they are built from.</summary>
public sealed class CelRuleTests
{
    private const string SecondsRange = "duration(self).getSeconds() >= 1 && duration(self).getSeconds() <= 65535";
    private const string WholeSeconds = "duration(self).getMilliseconds() % 1000 == 0";
    private const string Aggregation = "!has(self.serviceSelectors) || size(self.serviceSelectors) == 0 || ((!has(self.aggregationLength) || self.aggregationLength == 32) && (!has(self.aggregationLengthV6) || self.aggregationLengthV6 == 128))";

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        { "90s in range", SecondsRange, "\"90s\"", true },
        { "1m30s in range", SecondsRange, "\"1m30s\"", true },
        { "0s below range", SecondsRange, "\"0s\"", false },
        { "19h above range", SecondsRange, "\"19h\"", false },
        { "whole seconds", WholeSeconds, "\"3s\"", true },
        { "1500ms not whole", WholeSeconds, "\"1500ms\"", false },
        { "1.5s not whole", WholeSeconds, "\"1.5s\"", false },
        { "no selectors", Aggregation, """{"aggregationLength": 24}""", true },
        { "empty selectors", Aggregation, """{"serviceSelectors": [], "aggregationLength": 24}""", true },
        { "selectors with defaults", Aggregation, """{"serviceSelectors": [{}], "aggregationLength": 32}""", true },
        { "selectors with /24", Aggregation, """{"serviceSelectors": [{}], "aggregationLength": 24}""", false },
        { "selectors with v6 /64", Aggregation, """{"serviceSelectors": [{}], "aggregationLengthV6": 64}""", false },
        { "string concat", "self + 'b' == 'ab'", "\"a\"", true },
        { "arithmetic precedence", "self * 2 + 1 == 7 && !(self < 3)", "3", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates_the_rules_our_crds_use(string name, string rule, string self, bool holds)
    {
        Assert.True(CelRule.Parse(rule).Holds(JsonNode.Parse(self), null) == holds, name);
    }

    [Fact]
    public void Transition_rules_compare_with_the_old_value()
    {
        var rule = CelRule.Parse("self == oldSelf");
        Assert.True(rule.UsesOldSelf);
        Assert.True(rule.Holds(JsonNode.Parse("\"a\""), JsonNode.Parse("\"a\"")));
        Assert.False(rule.Holds(JsonNode.Parse("\"a\""), JsonNode.Parse("\"b\"")));
    }

    [Theory]
    [InlineData("self.matches('x')")]
    [InlineData("self.all(x, x > 0)")]
    [InlineData("self ==")]
    public void Rules_outside_the_subset_are_reported_as_unsupported(string rule)
    {
        Assert.Throws<CelException>(() => CelRule.Parse(rule).Holds(JsonNode.Parse("1"), null));
    }

    [Fact]
    public void A_missing_field_is_a_runtime_error_like_cel_no_such_key()
    {
        var e = Assert.Throws<CelException>(() => CelRule.Parse("self.a == 1").Holds(new JsonObject(), null));
        Assert.Contains("no such key", e.Message);
    }
}
