using MetalLb.Net.Bgp.Wire;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.Speaker.Sinks;

namespace MetalLb.Net.Speaker.Tests.Unit;

public class BgpSinkTests
{
    private static PeerConfig Peer(string address = "203.0.113.1", uint? peerAsn = 64512, string? vrf = null, string? iface = null,
        string? bfd = null, bool dualStack = false, uint? localAsn = null, TimeSpan? hold = null) =>
        new("router", 64513, peerAsn, peerAsn is null ? DynamicAsnMode.External : null, localAsn,
            iface is null ? IpAddress.Parse(address) : null, iface, null, 179, hold, null, null, null, [], "s3cret", bfd,
            EnableGracefulRestart: true, EbgpMultiHop: false, vrf, DisableMP: false, dualStack);

    [Fact]
    public void A_peer_becomes_engine_options_with_its_family_password_and_graceful_restart()
    {
        var o = BgpSink.ToOptions(Peer(hold: TimeSpan.FromSeconds(9)));
        Assert.Equal("203.0.113.1", o.PeerAddress.ToString());
        Assert.Equal(64512u, o.PeerAs);
        Assert.Equal(64513u, o.LocalAs);
        Assert.Equal("s3cret", o.Password);
        Assert.Equal(TimeSpan.FromSeconds(9), o.HoldTime);
        Assert.True(o.GracefulRestart);
        Assert.Equal([Afi.IPv4], o.Families);
        Assert.Equal([Afi.IPv6], BgpSink.ToOptions(Peer("2001:db8::1")).Families);
        Assert.Equal([Afi.IPv4, Afi.IPv6], BgpSink.ToOptions(Peer(dualStack: true)).Families);
        Assert.Equal(65000u, BgpSink.ToOptions(Peer(localAsn: 65000)).LocalAs);
    }

    [Fact]
    public void Options_built_twice_are_equal_so_a_resync_keeps_the_session() =>
        Assert.Equal(BgpSink.ToOptions(Peer()), BgpSink.ToOptions(Peer()));

    [Fact]
    public void Features_the_engine_lacks_are_named()
    {
        Assert.Contains("vrf", BgpSink.Unsupported(Peer(vrf: "red")), StringComparison.Ordinal);
        Assert.Contains("unnumbered", BgpSink.Unsupported(Peer(iface: "eth1")), StringComparison.Ordinal);
        Assert.Contains("dynamicASN", BgpSink.Unsupported(Peer(peerAsn: null)), StringComparison.Ordinal);
        Assert.Null(BgpSink.Unsupported(Peer(bfd: "fast")));
        Assert.Contains("bfdProfile \"fast\"", BgpSink.Degraded(Peer(bfd: "fast")), StringComparison.Ordinal);
        Assert.Null(BgpSink.Degraded(Peer()));
    }

    [Fact]
    public void Routes_keep_local_pref_and_split_standard_from_large_communities()
    {
        var routes = BgpSink.ToRoutes([
            new NodeRoute("router", IpPrefix.Parse("198.51.100.7/32"), 150,
                [BgpCommunity.Standard(65535, 65282), BgpCommunity.Large(64512, 1, 2)]),
            new NodeRoute("router", IpPrefix.Parse("2001:db8::/64"), 0, []),
        ]);
        var v4 = routes[NlriPrefix.Parse("198.51.100.7/32")];
        Assert.Equal(150u, v4.LocalPref);
        Assert.Equal([0xFFFFFF02u], v4.Communities);
        Assert.Equal([new LargeCommunity(64512, 1, 2)], v4.LargeCommunities);
        var v6 = routes[NlriPrefix.Parse("2001:db8::/64")];
        Assert.Null(v6.LocalPref);
        Assert.Empty(v6.Communities);
    }
}
