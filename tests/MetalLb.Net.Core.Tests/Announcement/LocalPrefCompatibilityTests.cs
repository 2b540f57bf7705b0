using MetalLb.Net.Core.Announcement;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class LocalPrefCompatibilityTests
{
    // Upstream BGPAdvertisementsHaveCompatibleLocalPref (docs/upstream-speaker.md §6.3), minus the node-set
    // escape, which never applies to the ads of one node.
    public static TheoryData<string, bool, int, int, string, string, bool> Cases => new()
    {
        // because, dual-stack pool?, ad2 aggregation v4, ad2 aggregation v6, ad1 peers, ad2 peers, compatible
        { "v4 pool, same aggregation, no peers lists: conflict", false, 32, 128, "", "", false },
        { "v4 pool, aggregation differs: compatible", false, 24, 128, "", "", true },
        { "dual pool, only v4 aggregation differs: conflict (v6 prefixes coincide)", true, 24, 128, "", "", false },
        { "dual pool, both aggregations differ: compatible", true, 24, 64, "", "", true },
        { "disjoint peers lists: compatible", false, 32, 128, "p1", "p2", true },
        { "overlapping peers lists: conflict", false, 32, 128, "p1,p2", "p2", false },
        { "one ad sends to every peer: conflict", false, 32, 128, "", "p2", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AreCompatible(string because, bool dual, int v4, int v6, string peers1, string peers2, bool expected)
    {
        var a = Bgp("ad1", localPref: 100, peers: peers1);
        var b = Bgp("ad2", aggregation: v4, aggregationV6: v6, localPref: 200, peers: peers2);
        Assert.True(expected == LocalPrefCompatibility.AreCompatible(a, b, dual ? DualPool : V4Pool), because);
        Assert.True(LocalPrefCompatibility.AreCompatible(a, b with { LocalPref = 100 }, V4Pool), "equal localPref never conflicts");
    }
}
