using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Tests.Selectors;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["zone"] = "a", ["tier"] = "gold" };

    private static LabelSelector Expr(string key, string op, params string[] values) =>
        new() { MatchExpressions = [new LabelSelectorRequirement { Key = key, Operator = op, Values = values.Length == 0 ? null : [.. values] }] };

    public static TheoryData<string, LabelSelector, bool> Matches => new()
    {
        { "empty selector matches everything", new LabelSelector(), true },
        { "matchLabels equal", new LabelSelector { MatchLabels = new() { ["zone"] = "a" } }, true },
        { "matchLabels different value", new LabelSelector { MatchLabels = new() { ["zone"] = "b" } }, false },
        { "matchLabels and expressions are ANDed", new LabelSelector { MatchLabels = new() { ["zone"] = "a" }, MatchExpressions = Expr("tier", "In", "silver").MatchExpressions }, false },
        { "In", Expr("tier", "In", "gold", "silver"), true },
        { "NotIn with the value", Expr("tier", "NotIn", "gold"), false },
        { "NotIn matches a missing label", Expr("missing", "NotIn", "x"), true },
        { "Exists", Expr("zone", "Exists"), true },
        { "Exists missing", Expr("missing", "Exists"), false },
        { "DoesNotExist", Expr("missing", "DoesNotExist"), true },
        { "DoesNotExist present", Expr("zone", "DoesNotExist"), false },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public void Matches_like_kubernetes(string name, LabelSelector selector, bool expected)
    {
        Assert.True(Selector.TryCreate(selector, out var s, out var error), error);
        Assert.True(expected == s.Matches(Labels), name);
    }

    public static TheoryData<string, LabelSelector, string> Invalid => new()
    {
        { "unknown operator", Expr("zone", "Gt", "1"), "not a valid label selector operator" },
        { "In without values", Expr("zone", "In"), "can't be empty" },
        { "Exists with values", Expr("zone", "Exists", "a"), "must be empty" },
        { "bad key", new LabelSelector { MatchLabels = new() { ["-bad"] = "x" } }, "invalid label key" },
        { "bad prefix", new LabelSelector { MatchLabels = new() { ["Bad_Prefix/x"] = "x" } }, "prefix must be a DNS subdomain" },
        { "value too long", new LabelSelector { MatchLabels = new() { ["k"] = new string('a', 64) } }, "invalid label value" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses_what_kubernetes_refuses(string name, LabelSelector selector, string message)
    {
        Assert.False(Selector.TryCreate(selector, out _, out var error), name);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
