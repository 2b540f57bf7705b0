using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Tests.Networking;

public sealed class PrefixIndexTests
{
    [Fact]
    public void Finds_the_earliest_block_that_contains_or_lies_inside_the_new_one()
    {
        var index = new PrefixIndex<string>();
        index.Add(Cidr("192.0.2.64/26"), "inner");
        index.Add(Cidr("192.0.2.0/24"), "outer");
        index.Add(Cidr("2001:db8::/64"), "v6");

        Assert.True(index.TryFindFirstOverlap(Cidr("192.0.2.0/25"), out var found));
        Assert.Equal((Cidr("192.0.2.64/26"), "inner"), found);   // inside it, and added before the /24 that contains it
        Assert.True(index.TryFindFirstOverlap(Cidr("192.0.2.200/32"), out found));
        Assert.Equal("outer", found.Owner);
        Assert.False(index.TryFindFirstOverlap(Cidr("192.0.3.0/24"), out _));    // adjacent is not overlapping
        Assert.True(index.TryFindFirstOverlap(Cidr("::/0"), out found));                // families never mix
        Assert.Equal("v6", found.Owner);
        Assert.True(index.TryFindFirstOverlap(Cidr("2001:db8::1/128"), out found));
        Assert.Equal("v6", found.Owner);
        Assert.False(index.TryFindFirstOverlap(Cidr("2001:db8:1::/48"), out _));
    }

    /// <summary>The index gives what comparing against every earlier block in order gives, on random blocks that often nest.</summary>
    [Fact]
    public void Agrees_with_the_pairwise_scan_on_random_blocks()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            var index = new PrefixIndex<int>();
            var added = new List<IpPrefix>();
            for (int i = 0; i < 40; i++)
            {
                IpPrefix p = random.Next(2) == 0
                    ? IpPrefix.Of(new IpAddress(0xC0000200u | (uint)random.Next(256), IpFamily.IPv4), 24 + random.Next(9))
                    : IpPrefix.Of(new IpAddress(((UInt128)0x20010db8u << 96) | ((UInt128)(uint)random.Next(1 << 16) << 64), IpFamily.IPv6), 48 + random.Next(33));
                int expected = added.FindIndex(q => q.Overlaps(p));
                bool found = index.TryFindFirstOverlap(p, out var got);
                Assert.Equal(expected >= 0, found);
                if (found)
                    Assert.Equal((added[expected], expected), got);
                index.Add(p, i);
                added.Add(p);
            }
        }
    }

    private static IpPrefix Cidr(string text) =>
        IpPrefix.TryParse(text, out var p) ? p : throw new ArgumentException(text);
}
