using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Bgp.Tests.Session;

/// <summary>Two of our speakers on loopback: one dials, the other listens (passive).</summary>
public sealed class LoopbackSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly int _port = FreePort();
    private BgpSpeaker _dialer = null!;
    private BgpSpeaker _listener = null!;

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public Task InitializeAsync()
    {
        _dialer = new BgpSpeaker(new BgpSpeakerOptions(), TimeProvider.System);
        _listener = new BgpSpeaker(new BgpSpeakerOptions { ListenPort = _port, ListenAddressIPv4 = IPAddress.Loopback, ListenAddressIPv6 = IPAddress.IPv6Loopback }, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dialer.DisposeAsync();
        await _listener.DisposeAsync();
    }

    private BgpPeerOptions Dialing(string? password = null) => new()
    {
        PeerAddress = IPAddress.Loopback, PeerPort = _port, LocalAs = 4200000001, PeerAs = 65001,
        RouterId = IPAddress.Parse("192.0.2.1"), Password = password, NextHopIPv6 = IPAddress.Parse("2001:db8::1"),
        HoldTime = TimeSpan.FromSeconds(9), ConnectTime = TimeSpan.FromSeconds(1),
    };

    private static BgpPeerOptions Listening(string? password = null) => new()
    {
        PeerAddress = IPAddress.Loopback, LocalAs = 65001, PeerAs = 4200000001, Passive = true,
        RouterId = IPAddress.Parse("192.0.2.2"), Password = password, HoldTime = TimeSpan.FromSeconds(9),
    };

    [Fact]
    public async Task Routes_arrive_change_and_are_withdrawn_and_removing_the_peer_sends_cease()
    {
        await _listener.SetPeerAsync("dialer", Listening());
        var routes = new Dictionary<NlriPrefix, AdvertisedAttributes>
        {
            [NlriPrefix.Parse("203.0.113.10/32")] = new(communities: [AdvertisedAttributes.ParseCommunity("65000:1")]),
            [NlriPrefix.Parse("203.0.113.11/32")] = AdvertisedAttributes.Empty,
            [NlriPrefix.Parse("2001:db8:5::1/128")] = AdvertisedAttributes.Empty,
        };
        _dialer.SetAdvertisements("listener", routes);
        await _dialer.SetPeerAsync("listener", Dialing());

        var up = await Eventually.WaitAsync(() => _listener.GetPeer("dialer")!, s => s.ReceivedPrefixes == 3, Timeout, "3 prefixes at the listener");
        Assert.Equal(BgpState.Established, up.State);
        Assert.True(up.Session!.FourOctetAs);
        Assert.Equal(4200000001u, up.Session.PeerAs);
        var dialer = _dialer.GetPeer("listener")!;
        Assert.Equal((3, 0), (dialer.AnnouncedPrefixes, dialer.PendingPrefixes));

        _dialer.SetAdvertisements("listener", new Dictionary<NlriPrefix, AdvertisedAttributes> { [NlriPrefix.Parse("203.0.113.11/32")] = AdvertisedAttributes.Empty });
        await Eventually.WaitAsync(() => _listener.GetPeer("dialer")!, s => s.ReceivedPrefixes == 1, Timeout, "withdrawals at the listener");

        await _dialer.RemovePeerAsync("listener");
        // The reason is recorded as the NOTIFICATION is read and the routes are dropped just after,
        // so a snapshot can show the first without the second: wait for both.
        var down = await Eventually.WaitAsync(() => _listener.GetPeer("dialer")!,
            s => s.LastReason == TransitionReason.NotificationReceived && s.ReceivedPrefixes == 0, Timeout, "the Cease at the listener and its routes gone");
        Assert.Equal((BgpErrorCode.Cease, (byte)3), (down.LastError.Code, down.LastError.Subcode)); // Peer De-configured
    }

    [Fact]
    public async Task Metrics_use_upstream_names_and_the_peer_label()
    {
        using var listener = new MeterListener();
        var seen = new Dictionary<string, (long Value, string? Peer)>();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == BgpMetrics.MeterName) l.EnableMeasurementEvents(i); };
        void Record(Instrument i, long v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags)
                if (t.Key == "peer" && (string?)t.Value == $"127.0.0.1:{_port}")
                    lock (seen)
                        seen[i.Name] = (v, (string?)t.Value);
        }
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await _listener.SetPeerAsync("dialer", Listening());
        _dialer.SetAdvertisements("listener", new Dictionary<NlriPrefix, AdvertisedAttributes> { [NlriPrefix.Parse("203.0.113.10/32")] = AdvertisedAttributes.Empty });
        await _dialer.SetPeerAsync("listener", Dialing());
        await Eventually.WaitAsync(() => _listener.GetPeer("dialer")!, s => s.ReceivedPrefixes == 1, Timeout, "the prefix at the listener");
        listener.RecordObservableInstruments();
        lock (seen)
        {
            Assert.Equal(1, seen["metallb_bgp_session_up"].Value);
            Assert.Equal(1, seen["metallb_bgp_announced_prefixes_total"].Value);
            Assert.Equal(0, seen["metallb_bgp_pending_prefixes_total"].Value);
            Assert.True(seen["metallb_bgp_updates_total"].Value >= 1);
        }
    }

    [Fact]
    public async Task Md5_with_the_same_key_connects_and_with_a_different_key_never_does()
    {
        await _listener.SetPeerAsync("dialer", Listening(password: "s3cret"));
        await _dialer.SetPeerAsync("listener", Dialing(password: "s3cret"));
        await Eventually.WaitAsync(() => _listener.GetPeer("dialer")!, s => s.State == BgpState.Established, Timeout, "an MD5-signed session");
        await _dialer.RemovePeerAsync("listener");

        await _dialer.SetPeerAsync("wrong", Dialing(password: "wrong") with { ConnectRetryMin = TimeSpan.FromMilliseconds(200) });
        // The listener drops unsigned-for-it SYNs silently, so our dial times out (ConnectTime 1 s).
        await Eventually.WaitAsync(() => _dialer.GetPeer("wrong")!, s => s.LastReason == TransitionReason.ConnectRetryTimerExpired, Timeout, "a dial that timed out");
        Assert.NotEqual(BgpState.Established, _dialer.GetPeer("wrong")!.State);
        Assert.NotEqual(BgpState.Established, _listener.GetPeer("dialer")!.State);
    }

    [Fact]
    public async Task State_changes_are_logged_with_their_reason()
    {
        var log = new ListLogger();
        await using var dialer = new BgpSpeaker(new BgpSpeakerOptions(), TimeProvider.System, logger: log);
        await _listener.SetPeerAsync("dialer", Listening());
        await dialer.SetPeerAsync("listener", Dialing());
        await Eventually.WaitAsync(() => dialer.GetPeer("listener")!, s => s.State == BgpState.Established, Timeout, "Established");
        lock (log.Lines)
            Assert.Contains(log.Lines, l => l.Id == 1201 && l.Text.Contains("is Established (was OpenConfirm): KeepaliveReceived", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger<BgpSpeaker>
    {
        public List<(int Id, string Text)> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
                Lines.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
