using MetalLb.Net.Core.Announcement;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class NotAnnouncedReasonTests
{
    public static TheoryData<NotAnnouncedReason> All => new(Enum.GetValues<NotAnnouncedReason>());

    // Every "no" must explain itself in one line: plan's text output and events print it.
    [Theory]
    [MemberData(nameof(All))]
    public void Every_reason_has_a_one_line_description(NotAnnouncedReason reason)
    {
        var text = reason.Describe();
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void Descriptions_are_distinct() =>
        Assert.Equal(
            Enum.GetValues<NotAnnouncedReason>().Length,
            Enum.GetValues<NotAnnouncedReason>().Select(r => r.Describe()).Distinct().Count());
}
