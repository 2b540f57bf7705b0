using MetalLb.Net.Core.Allocation;

namespace MetalLb.Net.Core.Tests.Allocation;

/// <summary>
/// allow-shared-ip has two readings, both upstream's: the controller's key (empty = shares with
/// nobody) and the speaker's "declares sharing" (present, even empty). They must stay apart.
/// </summary>
public sealed class SharingKeyTests
{
    public static TheoryData<string, string, string?, string?> Cases => new()
    {
        // case, annotations, controller's key, speaker's key
        { "none", "", null, null },
        { "metallb.io key", "metallb.io/allow-shared-ip=k", "k", "k" },
        { "legacy key", "metallb.universe.tf/allow-shared-ip=k", "k", "k" },
        { "metallb.io wins over legacy", "metallb.io/allow-shared-ip=a|metallb.universe.tf/allow-shared-ip=b", "a", "a" },
        { "empty metallb.io: controller shares with nobody, speaker sees sharing", "metallb.io/allow-shared-ip=", null, "" },
        { "empty metallb.io hides the legacy value for both", "metallb.io/allow-shared-ip=|metallb.universe.tf/allow-shared-ip=b", null, "" },
        { "empty legacy", "metallb.universe.tf/allow-shared-ip=", null, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Controller_and_speaker_read_it_as_upstream_does(string name, string annotations, string? allocation, string? announcement)
    {
        _ = name;
        var map = annotations.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(allocation, Annotations.SharingKeyForAllocation(map));
        Assert.Equal(announcement, Annotations.SharingKeyForAnnouncement(map));
    }
}
