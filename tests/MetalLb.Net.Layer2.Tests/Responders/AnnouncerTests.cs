using System.Net;
using MetalLb.Net.Layer2.Tests.Lab;
using MetalLb.Net.Layer2.Wire;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Layer2.Tests.Responders;

/// <summary>The announcer on fake links and a manual clock: cadence, withdraw, interfaces, link changes.</summary>
public sealed class AnnouncerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLinks _links = new();
    private Layer2Announcer? _announcer;

    public void Dispose() => _announcer?.Dispose();

    [Fact]
    public void A_takeover_sends_request_and_reply_per_round_for_five_rounds_then_stops()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        var announcer = Start();
        announcer.Announce(IPAddress.Parse("192.0.2.100"));
        Assert.Equal(2, _links.Arp["s0"].Sent.Count);      // at once
        for (int i = 1; i <= 4; i++)
        {
            Advance(TimeSpan.FromMilliseconds(1100));
            Assert.Equal(2 + (2 * i), _links.Arp["s0"].Sent.Count);
        }
        Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(10, _links.Arp["s0"].Sent.Count);
        Assert.False(announcer.AnnouncementsPending);
        Assert.All(_links.Arp["s0"].Sent, f => Assert.Equal(0xFF, f[0]));
        Assert.Equal(10, announcer.Metrics.GratuitousSent);
    }

    [Fact]
    public void Withdraw_stops_the_announcements_at_once()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        var announcer = Start();
        announcer.Announce(IPAddress.Parse("2001:db8::100"));
        Assert.Single(_links.Ndp["s0"].Sent);
        Assert.Single(_links.Ndp["s0"].Groups);
        announcer.Withdraw(IPAddress.Parse("2001:db8::100"));
        Advance(TimeSpan.FromSeconds(10));
        Assert.Single(_links.Ndp["s0"].Sent);
        Assert.Empty(_links.Ndp["s0"].Groups);
        Assert.Empty(announcer.Owned);
    }

    [Fact]
    public void SetOwned_announces_new_ips_withdraws_missing_ones_and_leaves_the_rest_quiet()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        var announcer = Start();
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        var c = IPAddress.Parse("192.0.2.3");
        announcer.SetOwned(new Dictionary<IPAddress, IReadOnlyCollection<string>?> { [a] = null, [b] = null });
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(20, _links.Arp["s0"].Sent.Count); // 2 IPs x 5 rounds x (request + reply)

        announcer.SetOwned(new Dictionary<IPAddress, IReadOnlyCollection<string>?> { [b] = ["s0"], [c] = null });
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(30, _links.Arp["s0"].Sent.Count); // only c is new
        Assert.Equal([b, c], announcer.Owned.Keys.OrderBy(ip => ip.ToString()));
        Assert.Equal(["s0"], announcer.Owned[b]!);
    }

    [Fact]
    public void Reannounce_restarts_the_takeover_rounds_of_every_owned_ip_and_only_those()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        var announcer = Start();
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        announcer.SetOwned(new Dictionary<IPAddress, IReadOnlyCollection<string>?> { [a] = null, [b] = null });
        announcer.Withdraw(b);
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(12, _links.Arp["s0"].Sent.Count); // a: 5 rounds; b: the first round only
        Assert.False(announcer.AnnouncementsPending);

        announcer.Reannounce();
        Assert.Equal(14, _links.Arp["s0"].Sent.Count); // a's first round at once
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(22, _links.Arp["s0"].Sent.Count); // a: 5 more rounds, b: none
        Assert.False(announcer.AnnouncementsPending);
    }

    [Fact]
    public void Only_the_listed_interfaces_announce()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        _links.Links.Add(FakeLinks.Link(3, "s1", 0x0200_0000_A101));
        var announcer = Start();
        announcer.Announce(IPAddress.Parse("192.0.2.100"), ["s1"]);
        Assert.Empty(_links.Arp["s0"].Sent);
        Assert.Equal(2, _links.Arp["s1"].Sent.Count);
    }

    [Fact]
    public void The_refresh_interval_sends_one_round_per_interval_after_the_takeover()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        var announcer = Start(new Layer2Options { RefreshInterval = TimeSpan.FromSeconds(60) });
        announcer.Announce(IPAddress.Parse("192.0.2.100"));
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(10, _links.Arp["s0"].Sent.Count);
        Advance(TimeSpan.FromSeconds(50)); // t = 60 s
        Assert.Equal(12, _links.Arp["s0"].Sent.Count);
        Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(14, _links.Arp["s0"].Sent.Count);
    }

    [Fact]
    public void Links_that_appear_vanish_or_get_enslaved_are_followed_on_the_next_scan()
    {
        _links.Links.Add(FakeLinks.Link(2, "s0", 0x0200_0000_A001));
        var announcer = Start();
        Assert.Equal(["s0"], announcer.ActiveLinks.Select(l => l.Name));

        _links.Links.Add(FakeLinks.Link(3, "s1", 0x0200_0000_A101));
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["s0", "s1"], announcer.ActiveLinks.Select(l => l.Name).Order());

        var s0 = _links.Arp["s0"];
        _links.Links[0] = _links.Links[0] with { MasterIndex = 9 };
        _links.Links.RemoveAt(1);
        Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(announcer.ActiveLinks);
        Assert.True(s0.Disposed);

        // Same index, new MAC (e.g. `ip link set address`): a fresh responder with the new MAC.
        _links.Links[0] = FakeLinks.Link(2, "s0", 0x0200_0000_A0FF);
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new MacAddress(0x0200_0000_A0FF), Assert.Single(announcer.ActiveLinks).Mac);
    }

    // In 100 ms steps, as a real clock passes: one big jump would show each timer only once.
    private void Advance(TimeSpan by)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromMilliseconds(100))
            _time.Advance(TimeSpan.FromMilliseconds(100));
    }

    private Layer2Announcer Start(Layer2Options? options = null)
    {
        _announcer = new Layer2Announcer(options ?? new Layer2Options(), _links, _links, _time);
        _announcer.Start();
        return _announcer;
    }
}
