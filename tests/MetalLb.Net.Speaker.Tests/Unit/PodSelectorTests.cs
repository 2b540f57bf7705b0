using MetalLb.Net.Speaker.Membership;

namespace MetalLb.Net.Speaker.Tests.Unit;

public class PodSelectorTests
{
    private static readonly Dictionary<string, string> Speaker = new() { ["app"] = "metallb", ["component"] = "speaker" };

    [Theory]
    [InlineData("app=metallb,component=speaker", true)]
    [InlineData("app==metallb, component = speaker", true)]
    [InlineData("app=metallb,component=controller", false)]
    [InlineData("app!=metallb", false)]
    [InlineData("tier!=web", true)]
    [InlineData("component", true)]
    [InlineData("!component", false)]
    [InlineData("!tier", true)]
    public void Matches_as_kubernetes_equality_selectors_do(string selector, bool expected) =>
        Assert.Equal(expected, PodSelector.Parse(selector).Matches(Speaker));

    [Fact]
    public void Set_based_terms_are_refused_with_the_term() =>
        Assert.Contains("app in (metallb)", Assert.Throws<ArgumentException>(() => PodSelector.Parse("app in (metallb)")).Message, StringComparison.Ordinal);
}
