using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Tests.Lab;
using MetalLb.Net.Layer2.Tests.Wire;

namespace MetalLb.Net.Layer2.Tests.Responders;

/// <summary>The receive loop over an in-memory link: junk is dropped and counted, never thrown.</summary>
public sealed class LinkResponderTests
{
    [Fact]
    public void Seeded_random_and_truncated_frames_are_counted_as_malformed_and_real_questions_still_answered()
    {
        using var metrics = new Layer2Metrics();
        var arp = new FakePacketConn();
        var ndp = new FakePacketConn();
        var owned = Owned.Table("192.0.2.1", "2001:db8::1");
        var link = FakeLinks.Link(2, "s0", 0x0200_0000_A001);
        using var responder = new LinkResponder(link, [arp], [ndp], () => owned, metrics);
        responder.Start();

        int truncated = 0;
        for (int n = 0; n < Golden.ArpingRequest.Length; n++)
        {
            // Cut before the end of the 28-byte ARP body: each of these is malformed.
            if (n < 14 + 28)
            {
                arp.Inject(Golden.ArpingRequest[..n]);
                truncated++;
            }
        }
        for (int n = 0; n < Golden.Ndisc6Solicitation.Length; n++)
        {
            ndp.Inject(Golden.Ndisc6Solicitation[..n]);
            truncated++;
        }
        var random = new Random(0x0806);
        for (int i = 0; i < 2000; i++)
        {
            var junk = new byte[random.Next(0, 120)];
            random.NextBytes(junk);
            arp.Inject(junk);
            ndp.Inject(junk);
        }
        arp.Inject(Golden.ArpingRequest);
        ndp.Inject(Golden.Ndisc6Solicitation);

        Eventually.Until(() => arp.Taken == 2000 + 42 + 1 && ndp.Taken == 2000 + 86 + 1 && arp.Drained && ndp.Drained,
            TimeSpan.FromSeconds(30), "every frame handled");
        Assert.True(metrics.MalformedDropped >= truncated, $"{metrics.MalformedDropped} < {truncated}");
        Assert.Equal(Golden.KernelArpReply, Assert.Single(arp.Sent));
        Assert.Equal(Golden.KernelAdvertisement, Assert.Single(ndp.Sent));
        Assert.Equal(2, metrics.ResponsesSent);
        Assert.Equal(2, metrics.RequestsReceived);
    }

    [Fact]
    public void Joins_the_solicited_node_group_of_each_owned_ipv6_and_leaves_it_on_release()
    {
        using var metrics = new Layer2Metrics();
        var ndp = new FakePacketConn();
        using var responder = new LinkResponder(FakeLinks.Link(2, "s0", 0x0200_0000_A001), null, [ndp],
            () => OwnershipTable.Empty, metrics);

        // 2001:db8::100 and 2001:db8:1::100 share their low 24 bits, so one group serves both.
        responder.UpdateMemberships(Owned.Table("2001:db8::100", "2001:db8:1::100", "2001:db8::200", "192.0.2.1"));
        Assert.Equal(["33:33:ff:00:01:00", "33:33:ff:00:02:00"], ndp.Groups.Select(g => g.ToString()).Order());

        responder.UpdateMemberships(Owned.Table("2001:db8:1::100", "2001:db8::200"));
        Assert.Equal(["33:33:ff:00:01:00", "33:33:ff:00:02:00"], ndp.Groups.Select(g => g.ToString()).Order());

        responder.UpdateMemberships(Owned.Table("2001:db8::200"));
        Assert.Equal(["33:33:ff:00:02:00"], ndp.Groups.Select(g => g.ToString()));
        responder.UpdateMemberships(Owned.OnlyOn("s1", "2001:db8::200"));
        Assert.Empty(ndp.Groups);
    }
}
