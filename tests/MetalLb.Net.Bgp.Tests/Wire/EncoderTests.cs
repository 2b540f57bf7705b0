using System.Buffers;
using System.Net;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Wire;

/// <summary>Our messages, byte for byte, written into 0xFF-filled buffers.</summary>
public class EncoderTests
{
    private const string Marker = "ffffffffffffffffffffffffffffffff";

    [Fact]
    public void Open_with_a_4_octet_asn_puts_AS_TRANS_in_My_AS()
    {
        var open = OpenMessage.Create(4200000001, 90, 0xC0000201,
            [BgpCapability.Multiprotocol(Afi.IPv4, Safi.Unicast), BgpCapability.RouteRefresh(), BgpCapability.FourOctetAs(4200000001)]);
        Assert.Equal(Hex.Parse($"""
            {Marker} 002d 01          # length 45, OPEN
            04 5ba0 005a c0000201     # version 4, AS_TRANS 23456, hold 90, id 192.0.2.1
            10                        # optional parameters length 16
            02 0e                     # capabilities parameter, 14 octets
            01 04 0001 00 01          # MP IPv4 unicast
            02 00                     # route refresh
            41 04 fa56ea01            # 4-octet AS 4200000001
            """), Hex.EncodeDirty(open));
        Assert.Equal(4200000001u, open.PeerAs);
    }

    [Fact]
    public void Notification_keepalive_and_route_refresh()
    {
        Assert.Equal(Hex.Parse($"{Marker} 0015 03 06 02"), Hex.EncodeDirty(new NotificationMessage(BgpError.CeaseAdministrativeShutdown)));
        Assert.Equal(Hex.Parse($"{Marker} 0013 04"), Hex.EncodeDirty(KeepaliveMessage.Instance));
        Assert.Equal(Hex.Parse($"{Marker} 0017 05 0002 00 01"), Hex.EncodeDirty(new RouteRefreshMessage(Afi.IPv6, 0, Safi.Unicast)));
    }

    [Fact]
    public void Ebgp_ipv4_update_has_origin_as_path_next_hop_communities_and_no_local_pref()
    {
        var ctx = new UpdateEncodingContext(65000, IsInternal: false, FourOctetAs: true, IPAddress.Parse("192.0.2.1"), null);
        var attrs = new AdvertisedAttributes(localPref: 200, communities: [AdvertisedAttributes.ParseCommunity("65000:100")],
            largeCommunities: [LargeCommunity.Parse("65000:1:2")]);
        var update = Assert.Single(UpdateBuilder.Announce(ctx, attrs, [NlriPrefix.Parse("198.51.100.10/32"), NlriPrefix.Parse("198.51.100.0/24")]));
        Assert.Equal(Hex.Parse($"""
            {Marker} 004a 02
            0000                      # no withdrawn routes
            002a                      # 42 octets of attributes
            40 01 01 00               # ORIGIN IGP
            40 02 06 02 01 0000fde8   # AS_PATH: AS_SEQUENCE [65000], 4-octet
            40 03 04 c0000201         # NEXT_HOP 192.0.2.1
            c0 08 04 fde80064         # COMMUNITIES 65000:100
            c0 20 0c 0000fde8 00000001 00000002   # LARGE_COMMUNITIES 65000:1:2
            20 c633640a               # 198.51.100.10/32
            18 c63364                 # 198.51.100.0/24
            """), Hex.EncodeDirty(update));
    }

    [Fact]
    public void Ibgp_ipv6_update_uses_mp_reach_and_local_pref()
    {
        var ctx = new UpdateEncodingContext(65000, IsInternal: true, FourOctetAs: true, null, IPAddress.Parse("2001:db8::1"));
        var update = Assert.Single(UpdateBuilder.Announce(ctx, new AdvertisedAttributes(localPref: 50), [NlriPrefix.Parse("2001:db8:5::/48")]));
        Assert.Equal(Hex.Parse($"""
            {Marker} 0044 02 0000 002d
            40 01 01 00                              # ORIGIN IGP
            40 02 00                                 # empty AS_PATH (iBGP)
            40 05 04 00000032                        # LOCAL_PREF 50
            80 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80005   # MP_REACH_NLRI
            """), Hex.EncodeDirty(update));
    }

    [Fact]
    public void Two_octet_peer_gets_AS_TRANS_and_AS4_PATH()
    {
        var ctx = new UpdateEncodingContext(4200000001, IsInternal: false, FourOctetAs: false, IPAddress.Parse("192.0.2.1"), null);
        var update = Assert.Single(UpdateBuilder.Announce(ctx, AdvertisedAttributes.Empty, [NlriPrefix.Parse("203.0.113.1/32")]));
        var r = UpdateValidator.Validate(update, fourOctetAs: false, isInternal: false);
        Assert.Equal(UpdateErrorAction.None, r.Action);
        Assert.Equal([4200000001u], r.AsPath.SelectMany(s => s.Asns));
        Assert.Contains(update.Attributes, a => a.Type == PathAttributeType.AsPath && Hex.Of(a.Value.Span) == "02015ba0");
    }

    [Fact]
    public void Withdrawals_pack_into_the_withdrawn_routes_field_and_mp_unreach()
    {
        var ctx = new UpdateEncodingContext(65000, false, true, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1"));
        var v4 = Assert.Single(UpdateBuilder.Withdraw(ctx, [NlriPrefix.Parse("203.0.113.1/32")]));
        Assert.Equal(Hex.Parse($"{Marker} 001c 02 0005 20cb007101 0000"), Hex.EncodeDirty(v4));
        var v6 = Assert.Single(UpdateBuilder.Withdraw(ctx, [NlriPrefix.Parse("2001:db8:1::/48")]));
        var r = UpdateValidator.Validate(v6, true, false);
        Assert.Equal("2001:db8:1::/48", Assert.Single(r.Withdrawn).ToString());
    }

    [Fact]
    public void Many_prefixes_split_into_updates_no_longer_than_4096()
    {
        var ctx = new UpdateEncodingContext(65000, false, true, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1"));
        var v4 = Enumerable.Range(0, 5000).Select(i => new NlriPrefix(Afi.IPv4, 0xC6120000u + (uint)i, 32)).ToList();
        var v6 = Enumerable.Range(0, 3000).Select(i => new NlriPrefix(Afi.IPv6, ((UInt128)0x20010db8 << 96) + (UInt128)i, 128)).ToList();
        foreach (var prefixes in new[] { v4, v6 })
        {
            var updates = UpdateBuilder.Announce(ctx, AdvertisedAttributes.Empty, prefixes);
            Assert.All(updates, u => Assert.InRange(u.GetEncodedLength(), 19, 4096));
            var back = new List<NlriPrefix>();
            foreach (var u in updates)
            {
                Assert.Equal(OperationStatus.Done, BgpMessageReader.TryRead(u.ToArray(), out var m, out _, out _));
                back.AddRange(UpdateValidator.Validate((UpdateMessage)m!, true, false).Announced);
            }
            Assert.Equal(prefixes, back);
            // Dense packing: at most one more message than the byte count strictly needs.
            var minimum = (int)Math.Ceiling(prefixes.Sum(p => p.EncodedLength) / 4000.0);
            Assert.InRange(updates.Count, minimum, minimum + 1);
        }
    }
}
