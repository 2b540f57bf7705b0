using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Swim;

public sealed class ClusterSizeProfileTests
{
    private static readonly IPEndPoint Address = new(IPAddress.Parse("192.0.2.1"), 7946);

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(MemberlistOptions.FastProfileMaxMembers)]
    public void Up_to_the_threshold_it_is_the_fast_profile(int members) =>
        Assert.Equal(MemberlistOptions.Fast("n", Address), MemberlistOptions.ForClusterSize("n", Address, members));

    [Fact]
    public void Above_the_threshold_timers_grow_with_the_cluster_and_stay_below_memberlists()
    {
        var previous = MemberlistOptions.Fast("n", Address);
        foreach (var members in new[] { MemberlistOptions.FastProfileMaxMembers + 1, 2000, 5000, 20000 })
        {
            var options = MemberlistOptions.ForClusterSize("n", Address, members);
            Assert.True(options.ProbeInterval >= previous.ProbeInterval, $"probe interval shrank at {members}");
            Assert.True(options.ProbeTimeout >= previous.ProbeTimeout, $"probe timeout shrank at {members}");
            Assert.True(options.ProbeTimeout < options.ProbeInterval);
            Assert.True(options.ProbeInterval < MemberlistOptions.Lan("n", Address).ProbeInterval, $"slower than memberlist's LAN at {members}");
            Assert.Equal("n", options.Name);
            Assert.Equal(Address, options.Advertise);
            previous = options;
        }
        Assert.True(previous.ProbeInterval > MemberlistOptions.Fast("n", Address).ProbeInterval);
    }
}
