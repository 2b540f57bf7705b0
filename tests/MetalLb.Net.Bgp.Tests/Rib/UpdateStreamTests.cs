using System.Net;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Rib;

public class UpdateStreamTests
{
    private static readonly AdvertisedAttributes[] Sets =
    [
        AdvertisedAttributes.Empty,
        new(localPref: 200, communities: [AdvertisedAttributes.ParseCommunity("65000:1")]),
        new(multiExitDisc: 5, largeCommunities: [new LargeCommunity(70000, 1, 2)]),
        // 80 communities: 320 octets, so the attribute itself needs the extended length.
        new(communities: Enumerable.Range(1, 80).Select(i => (uint)(65000 << 16 | i))),
    ];

    public static TheoryData<string, UpdateEncodingContext> Contexts => new()
    {
        { "eBGP, 4-octet AS", new(65000, false, true, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")) },
        { "iBGP (LOCAL_PREF)", new(65000, true, true, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")) },
        { "large AS to a 2-octet peer (AS4_PATH after MP_REACH)", new(4_200_000_000, false, false, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")) },
        { "small messages", new(65000, false, true, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")) { MaxMessageLength = 600 } },
    };

    private static RouteSet Random(Random random, int count)
    {
        var builder = new RouteSet.Builder();
        for (var i = 0; i < count; i++)
        {
            var v6 = random.Next(3) == 0;
            var prefix = v6
                ? new NlriPrefix(Afi.IPv6, (UInt128)0x20010db8u << 96 | (UInt128)(ulong)random.NextInt64(), random.Next(48, 129))
                : new NlriPrefix(Afi.IPv4, 0xC6120000u + (uint)random.Next(4096), random.Next(20, 33));
            builder.Add(prefix, Sets[random.Next(Sets.Length)]);
        }
        return builder.ToRouteSet();
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Streamed_bytes_are_the_messages_UpdateBuilder_builds(string name, UpdateEncodingContext context)
    {
        var random = new Random(name.Length);
        for (var trial = 0; trial < 20; trial++)
        {
            var changes = RibChanges.Between(Random(random, random.Next(0, 3000)), Random(random, random.Next(0, 3000)));
            var expected = changes.ToUpdates(context).SelectMany(m => m.ToArray()).ToArray();
            var stream = changes.Encode(context);
            var buffer = new byte[3 * context.MaxMessageLength + 17];
            var actual = new List<byte>();
            while (!stream.IsDone)
            {
                Array.Fill(buffer, (byte)0xEE); // a byte we forget to write shows up
                var n = stream.Write(buffer);
                Assert.True(n > 0);
                actual.AddRange(buffer.AsSpan(0, n).ToArray());
            }
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString([.. actual]));
            Assert.Equal(changes.ToUpdates(context).Count, stream.Messages);
        }
    }

    [Fact]
    public void Changes_take_the_peer_from_sent_to_desired()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var sent = Random(random, random.Next(0, 500));
            var desired = Random(random, random.Next(0, 500));
            var changes = RibChanges.Between(sent, desired);
            var peer = sent.ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var p in changes.Withdrawn)
                Assert.True(peer.Remove(p));
            foreach (var (attributes, prefixes) in changes.Announced)
                foreach (var p in prefixes)
                    peer[p] = attributes;
            Assert.Equal(desired.Count, peer.Count);
            Assert.All(desired, kv => Assert.Equal(kv.Value, peer[kv.Key]));
            Assert.Equal(changes.AnnouncedCount + changes.WithdrawnCount, RibChanges.CountDifferences(sent, desired));
        }
    }

    [Fact]
    public void A_route_set_sorts_shares_equal_attributes_and_keeps_the_last_of_a_duplicate()
    {
        var set = new RouteSet.Builder()
            .Add(NlriPrefix.Parse("2001:db8::/64"), new(localPref: 1))
            .Add(NlriPrefix.Parse("203.0.113.9/32"), new(localPref: 1))
            .Add(NlriPrefix.Parse("203.0.113.1/32"), new(localPref: 2))
            .Add(NlriPrefix.Parse("203.0.113.9/32"), new(localPref: 3))
            .ToRouteSet();
        Assert.Equal(["203.0.113.1/32", "203.0.113.9/32", "2001:db8::/64"], set.Keys.Select(p => p.ToString()));
        Assert.Equal((2, 1), (set.IPv4Count, set.IPv6Count));
        Assert.Equal(3u, set[NlriPrefix.Parse("203.0.113.9/32")].LocalPref);
        Assert.Equal(3, set.AttributeSets.Count); // localPref 1 once, for two prefixes
        Assert.False(set.ContainsKey(NlriPrefix.Parse("203.0.113.2/32")));
        Assert.Equal(set, RouteSet.From(set.ToDictionary(kv => kv.Key, kv => kv.Value)));
        Assert.NotEqual(set, RouteSet.From(set.ToDictionary(kv => kv.Key, kv => new AdvertisedAttributes(localPref: 9))));
    }

    [Fact]
    public void A_route_set_past_256_attribute_sets_and_out_of_order_agrees_with_a_dictionary()
    {
        var random = new Random(11);
        var expected = new Dictionary<NlriPrefix, AdvertisedAttributes>();
        var builder = new RouteSet.Builder(10);
        for (var i = 0; i < 3000; i++)
        {
            var prefix = random.Next(4) == 0
                ? new NlriPrefix(Afi.IPv6, (UInt128)0x20010db8u << 96 | (uint)random.Next(500), 128)
                : new NlriPrefix(Afi.IPv4, 0xC6120000u + (uint)random.Next(1500), 32);
            var attributes = new AdvertisedAttributes(localPref: (uint)random.Next(400));
            builder.Add(prefix, attributes);
            expected[prefix] = attributes;
        }
        var set = builder.ToRouteSet();
        Assert.True(set.AttributeSets.Count > 256);
        Assert.Equal(expected.Count, set.Count);
        Assert.Equal(expected.Keys.Order(), set.Keys);
        Assert.All(expected, kv => Assert.Equal(kv.Value, set[kv.Key]));
        Assert.Equal(set, RouteSet.From(expected));
    }

    [Fact]
    public void A_prefix_is_24_bytes()
    {
        // Two ulongs, not a UInt128 (16-byte aligned, which made the struct 48 bytes).
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<NlriPrefix>());
        Assert.Equal(48, System.Runtime.CompilerServices.Unsafe.SizeOf<OldLayout>());
    }

    private readonly record struct OldLayout(Afi Afi, UInt128 Address, byte Length);

    [Fact]
    public void Once_everything_is_sent_the_peer_state_is_the_desired_set_itself()
    {
        var rib = new AdjRibOut();
        var desired = Random(new Random(3), 1000);
        rib.SetDesired(desired);
        rib.TakeChanges([Afi.IPv4, Afi.IPv6]);
        Assert.Equal(0, rib.PendingCount);
        Assert.True(RibChanges.Between(desired, desired).IsEmpty);
        Assert.True(rib.TakeChanges([Afi.IPv4, Afi.IPv6]).IsEmpty);
    }
}
