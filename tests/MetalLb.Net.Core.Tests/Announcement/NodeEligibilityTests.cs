using MetalLb.Net.Core.Announcement;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class NodeEligibilityTests
{
    // Upstream internal/k8s/nodes: exclusion by label presence, NetworkUnavailable=True; nothing else.
    public static TheoryData<string, string, string, bool, NotAnnouncedReason?> Cases => new()
    {
        { "plain node is eligible", "", "", false, null },
        { "exclude label with value \"false\" still excludes (presence test)",
            "node.kubernetes.io/exclude-from-external-load-balancers=false", "", false, NotAnnouncedReason.NodeExcluded },
        { "exclude label with empty value excludes",
            "node.kubernetes.io/exclude-from-external-load-balancers=", "", false, NotAnnouncedReason.NodeExcluded },
        { "exclude label ignored with --ignore-exclude-lb",
            "node.kubernetes.io/exclude-from-external-load-balancers=true", "", true, null },
        { "NetworkUnavailable=True excludes", "", "NetworkUnavailable=True", false, NotAnnouncedReason.NodeNetworkUnavailable },
        { "NetworkUnavailable=False is fine", "", "NetworkUnavailable=False", false, null },
        { "NetworkUnavailable=Unknown is fine (only True counts)", "", "NetworkUnavailable=Unknown", false, null },
        { "Ready=False is not consulted", "", "Ready=False", false, null },
        { "--ignore-exclude-lb does not lift NetworkUnavailable", "", "NetworkUnavailable=True", true,
            NotAnnouncedReason.NodeNetworkUnavailable },
        { "both: NetworkUnavailable reported first, as upstream checks it first",
            "node.kubernetes.io/exclude-from-external-load-balancers=true", "NetworkUnavailable=True", false,
            NotAnnouncedReason.NodeNetworkUnavailable },
        { "a similar but different label does not exclude", "node.kubernetes.io/exclude-from-external-lb=true", "", false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check(string because, string labels, string conditions, bool ignoreExclude, NotAnnouncedReason? expected)
    {
        var node = Node("n1", labels, conditions);
        Assert.True(expected == NodeEligibility.Check(node, ignoreExclude), because);
    }
}
