using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Tests.Config;

public class DurationParserTests
{
    public static TheoryData<string, string, double> Valid => new()
    {
        { "seconds", "90s", 90_000 },
        { "minutes and seconds", "1m30s", 90_000 },
        { "milliseconds", "500ms", 500 },
        { "fractional hours", "1.5h", 5_400_000 },
        { "bare zero", "0", 0 },
        { "zero with unit", "0s", 0 },
        { "microseconds", "1500us", 1.5 },
        { "negative", "-2s", -2_000 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Go_durations_parse(string name, string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value), name);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("90")]
    [InlineData("s")]
    [InlineData("1x")]
    [InlineData("1..2s")]
    [InlineData(" 90s")]
    [InlineData("-")]
    public void Malformed_durations_are_refused(string text) =>
        Assert.False(DurationParser.TryParse(text, out _));
}
