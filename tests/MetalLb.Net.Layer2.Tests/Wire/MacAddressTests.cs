using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Wire;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("02:00:00:00:a0:01", true)]
    [InlineData("02-00-00-00-A0-01", true)]
    [InlineData("02:00:00:00:a0", false)]
    [InlineData("02:00:00:00:a0:0g", false)]
    [InlineData("02.00.00.00.a0.01", false)]
    public void Parses_what_ip_and_arping_print(string text, bool ok)
    {
        Assert.Equal(ok, MacAddress.TryParse(text, out var mac));
        if (ok)
            Assert.Equal("02:00:00:00:a0:01", mac.ToString());
    }

    [Fact]
    public void Broadcast_and_multicast_bits()
    {
        Assert.True(MacAddress.Broadcast.IsBroadcast && MacAddress.Broadcast.IsMulticast);
        Assert.True(MacAddress.TryParse("33:33:00:00:00:01", out var m) && m.IsMulticast && !m.IsBroadcast);
        Assert.False(new MacAddress(0x0200_0000_A001).IsMulticast);
    }
}
