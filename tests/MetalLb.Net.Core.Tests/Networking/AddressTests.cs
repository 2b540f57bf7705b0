using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Tests.Networking;

public sealed class AddressTests
{
    public static TheoryData<string, string, bool> Parses => new()
    {
        { "dotted quad", "192.0.2.1", true },
        { "leading zero octet is refused, as Go's ParseIP does", "192.0.2.01", false },
        { "three octets", "192.0.2", false },
        { "octet over 255", "192.0.2.256", false },
        { "surrounding space", " 192.0.2.1", false },
        { "IPv6 compressed", "2001:db8::1", true },
        { "IPv6 with zone", "fe80::1%eth0", false },
        { "IPv6 in brackets", "[2001:db8::1]", false },
        { "embedded IPv4", "::ffff:192.0.2.1", true },
        { "empty", "", false },
    };

    [Theory]
    [MemberData(nameof(Parses))]
    public void Parses_strictly(string name, string text, bool ok) =>
        Assert.True(ok == IpAddress.TryParse(text, out _), name);

    [Theory]
    [InlineData("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1")] // RFC 5952: first longest run
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]                // a single zero group is not compressed
    [InlineData("::", "::")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]                                // mapped IPv4 is IPv4, as in Go
    [InlineData("0.0.0.0", "0.0.0.0")]
    public void Formats_like_go(string input, string expected) =>
        Assert.Equal(expected, IpAddress.Parse(input).ToString());

    [Theory]
    [InlineData("10.20.30.40/24", "10.20.30.0/24")]   // host bits masked off (docs/upstream-controller.md §2.1)
    [InlineData("2001:db8::1/64", "2001:db8::/64")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::ffff:0:0/96", "::ffff:0:0/96")]    // an IPv4-mapped CIDR stays IPv6, as in Go
    public void Prefix_masks_host_bits(string text, string expected) =>
        Assert.Equal(expected, IpPrefix.Parse(text).ToString());

    [Theory]
    [InlineData("192.0.2.1")]        // a bare address is not a CIDR
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.0/")]
    [InlineData("192.0.2.0/024")]
    [InlineData("2001:db8::/129")]
    public void Prefix_rejects(string text) => Assert.False(IpPrefix.TryParse(text, out _));

    [Theory]
    [InlineData("3.3.3.2-3.3.3.254", "3.3.3.2/31 3.3.3.4/30 3.3.3.8/29 3.3.3.16/28 3.3.3.32/27 3.3.3.64/26 3.3.3.128/26 3.3.3.192/27 3.3.3.224/28 3.3.3.240/29 3.3.3.248/30 3.3.3.252/31 3.3.3.254/32", 26)]
    [InlineData("192.0.2.0 - 192.0.2.255", "192.0.2.0/24", 24)]      // spaces around '-' are tolerated
    [InlineData("0.0.0.0-255.255.255.255", "0.0.0.0/0", 0)]
    [InlineData("2001:db8::-2001:db8::ffff", "2001:db8::/112", 112)]
    [InlineData("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0", 0)]
    public void Ranges_split_into_minimal_cidrs_without_enumerating(string range, string cidrs, int shortest)
    {
        Assert.True(AddressBlock.TryParse(range, out var block, out var error), error);
        Assert.Equal(cidrs, string.Join(" ", block.Prefixes));
        Assert.Equal(shortest, block.ShortestPrefixLength);
    }

    [Theory]
    [InlineData("192.0.2.9-192.0.2.1", "is after the end IP")]
    [InlineData("192.0.2.1-2001:db8::1", "different address families")]
    [InlineData("192,168,9,1-192,168,9,5", "invalid start IP")]
    [InlineData("192.0.2.1", "invalid CIDR")]
    public void Bad_blocks_say_why(string text, string message)
    {
        Assert.False(AddressBlock.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Buggy_addresses_are_ipv4_dot_zero_and_dot_255_only()
    {
        Assert.True(IpAddress.Parse("192.0.2.0").IsBuggy);
        Assert.True(IpAddress.Parse("192.0.2.255").IsBuggy);
        Assert.False(IpAddress.Parse("192.0.2.1").IsBuggy);
        Assert.False(IpAddress.Parse("2001:db8::ff").IsBuggy);
    }
}
