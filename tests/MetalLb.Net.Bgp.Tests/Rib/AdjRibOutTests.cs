using System.Net;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Rib;

public class AdjRibOutTests
{
    private static readonly UpdateEncodingContext Ctx = new(65000, false, true, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1"));
    private static readonly AdvertisedAttributes Gold = new(communities: [AdvertisedAttributes.ParseCommunity("65000:1")]);
    private static readonly AdvertisedAttributes Silver = new(communities: [AdvertisedAttributes.ParseCommunity("65000:2")]);
    private static readonly Afi[] Both = [Afi.IPv4, Afi.IPv6];

    private static Dictionary<NlriPrefix, AdvertisedAttributes> Want(params (string Prefix, AdvertisedAttributes Attrs)[] routes) =>
        routes.ToDictionary(r => NlriPrefix.Parse(r.Prefix), r => r.Attrs);

    /// <summary>What the peer would hold after applying the UPDATEs, decoded as the peer would.</summary>
    private static void Apply(Dictionary<NlriPrefix, List<uint>> peer, IEnumerable<UpdateMessage> updates)
    {
        foreach (var u in updates)
        {
            var r = UpdateValidator.Validate(u, true, false);
            Assert.Equal(UpdateErrorAction.None, r.Action);
            foreach (var p in r.Withdrawn)
                peer.Remove(p);
            foreach (var p in r.Announced)
                peer[p] = r.Communities;
        }
    }

    [Fact]
    public void Sends_only_the_difference_and_the_peer_ends_up_with_the_desired_set()
    {
        var rib = new AdjRibOut();
        var peer = new Dictionary<NlriPrefix, List<uint>>();
        rib.SetDesired(Want(("203.0.113.1/32", Gold), ("203.0.113.2/32", Gold), ("2001:db8::1/128", Silver)));
        Assert.Equal(3, rib.PendingCount);
        var first = rib.TakeChanges(Both).ToUpdates(Ctx);
        Assert.Equal(2, first.Count); // one UPDATE per (attributes, family)
        Apply(peer, first);
        Assert.Equal((3, 0), (rib.AnnouncedCount, rib.PendingCount));

        // .2 changes community, .1 goes away, .3 arrives: withdraw 1, announce 2.
        rib.SetDesired(Want(("203.0.113.2/32", Silver), ("203.0.113.3/32", Silver), ("2001:db8::1/128", Silver)));
        var changes = rib.TakeChanges(Both);
        Assert.Equal(["203.0.113.1/32"], changes.Withdrawn.Select(p => p.ToString()));
        Assert.Equal(2, changes.AnnouncedCount);
        var second = changes.ToUpdates(Ctx);
        Assert.Equal(2, second.Count); // one withdrawal + one announcement carrying both prefixes
        Apply(peer, second);
        Assert.Equal(["203.0.113.2/32", "203.0.113.3/32", "2001:db8::1/128"], peer.Keys.Order().Select(p => p.ToString()));
        Assert.All(peer.Values, c => Assert.Equal([(65000u << 16) | 2], c));
        Assert.True(rib.TakeChanges(Both).IsEmpty);
    }

    [Fact]
    public void Families_the_session_lacks_stay_pending()
    {
        var rib = new AdjRibOut();
        rib.SetDesired(Want(("203.0.113.1/32", Gold), ("2001:db8::1/128", Gold)));
        var changes = rib.TakeChanges([Afi.IPv4]);
        Assert.Equal(["203.0.113.1/32"], changes.Announced.Values.SelectMany(l => l).Select(p => p.ToString()));
        Assert.Equal(1, rib.PendingCount);
    }

    [Fact]
    public void A_new_session_resends_everything_and_refresh_resends_one_family()
    {
        var rib = new AdjRibOut();
        rib.SetDesired(Want(("203.0.113.1/32", Gold), ("2001:db8::1/128", Gold)));
        rib.TakeChanges(Both);
        rib.ResetSession();
        Assert.Equal(2, rib.TakeChanges(Both).AnnouncedCount);
        var refresh = rib.Refresh(Afi.IPv6);
        Assert.Equal(["2001:db8::1/128"], refresh.Announced.Values.SelectMany(l => l).Select(p => p.ToString()));
    }

    [Fact]
    public void A_hundred_thousand_prefixes_pack_into_about_125_updates()
    {
        var rib = new AdjRibOut();
        rib.SetDesired(Enumerable.Range(0, 100_000).ToDictionary(i => new NlriPrefix(Afi.IPv4, 0xC6120000u + (uint)i, 32), _ => Gold));
        var updates = rib.TakeChanges(Both).ToUpdates(Ctx);
        // 100,000 x 5 octets / ~4,050 octets of NLRI room per message.
        Assert.InRange(updates.Count, 123, 127);
        var withdraw = new AdjRibOut();
        withdraw.SetDesired(rib.Desired);
        withdraw.TakeChanges(Both);
        withdraw.SetDesired(new Dictionary<NlriPrefix, AdvertisedAttributes>());
        Assert.InRange(withdraw.TakeChanges(Both).ToUpdates(Ctx).Count, 123, 127);
    }
}
