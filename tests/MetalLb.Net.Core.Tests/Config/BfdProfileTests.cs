using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class BfdProfileTests
{
    public static TheoryData<string, BFDProfile[], string, string> Invalid => new()
    {
        { "BFD missing name", [Bfd("")], "", "missing bfd profile name" },
        { "BFD receiveInterval below 10", [Bfd("b", s => s.ReceiveInterval = 9)], "b", "invalid receiveInterval value 9, must be in 10-60000 range" },
        { "BFD transmitInterval above 60000", [Bfd("b", s => s.TransmitInterval = 60001)], "b", "invalid transmitInterval value 60001" },
        { "BFD detectMultiplier below 2", [Bfd("b", s => s.DetectMultiplier = 1)], "b", "invalid detectMultiplier value 1, must be in 2-255 range" },
        { "BFD echoInterval below 10", [Bfd("b", s => s.EchoInterval = 5)], "b", "invalid echoInterval value 5" },
        { "BFD minimumTtl 255", [Bfd("b", s => s.MinimumTtl = 255)], "b", "invalid minimumTtl value 255, must be in 1-254 range" },
        { "BFD duplicate name", [Bfd("b"), Bfd("b")], "b", "found duplicate bfd profile name b" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_profile_is_blamed(string rule, BFDProfile[] profiles, string name, string message)
    {
        var result = ConfigParser.Parse(Input(i => i with { BfdProfiles = profiles }));
        ConfigAssert.SingleError(result, ConfigKinds.BFDProfile, name, message);
        Assert.True(result.Pools is not null, rule);
    }

    [Fact]
    public void Defaults_are_applied()
    {
        var profile = Assert.Single(ConfigAssert.Valid(ConfigParser.Parse(Input(i => i with { BfdProfiles = [Bfd("b")] }))).BfdProfiles);
        Assert.Equal(new BfdProfileConfig("b", 300, 300, 3, 50, false, false, 254), profile);
    }

    [Fact]
    public void Values_are_kept()
    {
        var profile = Assert.Single(ConfigAssert.Valid(ConfigParser.Parse(Input(i => i with
        {
            BfdProfiles = [Bfd("b", s => { s.ReceiveInterval = 10; s.TransmitInterval = 60000; s.DetectMultiplier = 255; s.EchoInterval = 100; s.EchoMode = true; s.PassiveMode = true; s.MinimumTtl = 1; })],
        }))).BfdProfiles);
        Assert.Equal(new BfdProfileConfig("b", 10, 60000, 255, 100, true, true, 1), profile);
    }

    [Fact]
    public void R10_peer_naming_a_broken_profile_is_not_blamed_twice()
    {
        var result = ConfigParser.Parse(Input(i => i with
        {
            BfdProfiles = [Bfd("b", s => s.DetectMultiplier = 0)],
            Peers = [Peer("p", s => s.BFDProfile = "b")],
        }));
        ConfigAssert.SingleError(result, ConfigKinds.BFDProfile, "b", "detectMultiplier");
    }

    [Theory]
    [InlineData("2001:db8::/120", true)]
    [InlineData("192.0.2.0/24", false)]
    public void Cross_check_echo_mode_with_an_IPv6_pool(string addresses, bool invalid)
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("pool", addresses)],
            BfdProfiles = [Bfd("echo", s => s.EchoMode = true)],
            Peers = [Peer("p", s => s.BFDProfile = "echo")],
            BgpAdvertisements = [Bgp("ad")],
        });
        if (invalid)
            ConfigAssert.SingleError(result, ConfigKinds.BGPAdvertisement, "ad", "references peer p which has bfd echo enabled");
        else
            Assert.True(result.IsValid);
    }

    [Fact]
    public void Cross_check_skips_peers_the_ad_does_not_send_to()
    {
        var result = ConfigParser.Parse(new ConfigInput
        {
            Pools = [Pool("pool", "2001:db8::/120")],
            BfdProfiles = [Bfd("echo", s => s.EchoMode = true)],
            Peers = [Peer("p", s => s.BFDProfile = "echo"), Peer("q", s => s.PeerAddress = "192.0.2.2")],
            BgpAdvertisements = [Bgp("ad", s => s.Peers = ["q"])],
        });
        Assert.True(result.IsValid);
    }
}
