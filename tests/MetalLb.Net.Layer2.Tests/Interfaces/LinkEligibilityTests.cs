using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Interfaces;

public sealed class LinkEligibilityTests
{
    private const uint UpBroadcast = LinkInfo.IffUp | LinkInfo.IffBroadcast;
    private static readonly IReadOnlyList<System.Text.RegularExpressions.Regex> Defaults =
        LinkEligibility.Compile(LinkEligibility.DefaultExcludePatterns);

    public static TheoryData<string, LinkInfo, LinkVerdict> Cases => new()
    {
        { "plain ethernet", Link("eth0", UpBroadcast), LinkVerdict.Eligible },
        { "down", Link("eth0", LinkInfo.IffBroadcast), LinkVerdict.Down },
        { "bond slave", Link("eth1", UpBroadcast, master: 5), LinkVerdict.Enslaved },
        { "bridge port", Link("eth2", UpBroadcast, master: 6), LinkVerdict.Enslaved },
        { "NOARP (e.g. a tunnel)", Link("wg0", LinkInfo.IffUp | LinkInfo.IffNoArp), LinkVerdict.NoArp },
        { "loopback", Link("lo", LinkInfo.IffUp | LinkInfo.IffLoopback), LinkVerdict.NoArp },
        { "pod veth", Link("veth1234", UpBroadcast), LinkVerdict.Excluded },
        { "docker bridge", Link("docker0", UpBroadcast), LinkVerdict.Excluded },
        { "calico", Link("cali9f8e", UpBroadcast), LinkVerdict.Excluded },
        { "name only containing veth", Link("myveth0", UpBroadcast), LinkVerdict.Eligible },
        { "bond master", Link("bond0", UpBroadcast), LinkVerdict.Eligible },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_as_upstream(string name, LinkInfo link, LinkVerdict expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, LinkEligibility.Evaluate(link, Defaults));
    }

    [Fact]
    public void Arp_needs_broadcast_and_ndp_needs_a_link_local_address()
    {
        Assert.True(LinkEligibility.WantsArp(Link("eth0", UpBroadcast)));
        Assert.False(LinkEligibility.WantsArp(Link("ptp0", LinkInfo.IffUp)));
        Assert.False(LinkEligibility.WantsNdp(Link("eth0", UpBroadcast)));
        Assert.True(LinkEligibility.WantsNdp(Link("eth0", UpBroadcast) with { HasIpv6LinkLocal = true }));
    }

    private static LinkInfo Link(string name, uint flags, int master = 0) =>
        new(3, name, new MacAddress(0x0200_0000_0001), flags, master, HasIpv6LinkLocal: false);
}
