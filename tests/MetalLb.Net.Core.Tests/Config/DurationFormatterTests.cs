using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Tests.Config;

public class DurationFormatterTests
{
    // Expected strings are what Go's time.Duration.String() prints for the same value.
    public static TheoryData<string, TimeSpan, string> Cases => new()
    {
        { "zero", TimeSpan.Zero, "0s" },
        { "whole seconds", TimeSpan.FromSeconds(3), "3s" },
        { "minute and seconds", TimeSpan.FromSeconds(90), "1m30s" },
        { "whole minutes keep 0s", TimeSpan.FromMinutes(3), "3m0s" },
        { "hours keep 0m0s", TimeSpan.FromHours(1), "1h0m0s" },
        { "fractional seconds", TimeSpan.FromMilliseconds(1500), "1.5s" },
        { "milliseconds", TimeSpan.FromMilliseconds(500), "500ms" },
        { "microseconds", TimeSpan.FromTicks(15), "1.5µs" },
        { "nanoseconds", TimeSpan.FromTicks(1), "100ns" },
        { "negative", TimeSpan.FromSeconds(-90), "-1m30s" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_Go_duration_strings(string what, TimeSpan value, string expected) =>
        Assert.True(expected == DurationFormatter.Format(value), $"{what}: {DurationFormatter.Format(value)}");

    [Theory]
    [InlineData("90s")]
    [InlineData("1h2m3.25s")]
    [InlineData("250ms")]
    public void Parse_then_format_is_stable(string text)
    {
        Assert.True(DurationParser.TryParse(text, out var once));
        Assert.True(DurationParser.TryParse(DurationFormatter.Format(once), out var twice));
        Assert.Equal(once, twice);
    }
}
