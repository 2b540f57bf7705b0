using System.Net;
using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Swim;

public sealed class UpstreamMemberlistConfigTests
{
    private static readonly MemberlistOptions Base = MemberlistOptions.Lan("n", new IPEndPoint(IPAddress.Loopback, 7946));

    private const string Full = """
        {
          "TCPTimeout": "5s", "IndirectChecks": 2, "RetransmitMult": 3, "SuspicionMult": 5,
          "SuspicionMaxTimeoutMult": 7, "PushPullInterval": "1m30s", "ProbeTimeout": "250ms",
          "ProbeInterval": "1.5s", "DisableTcpPings": true, "AwarenessMaxMultiplier": 4,
          "GossipNodes": 5, "GossipInterval": "100ms", "GossipToTheDeadTime": "20s",
          "GossipVerifyIncoming": true, "GossipVerifyOutgoing": true, "EnableCompression": false,
          "HandoffQueueDepth": 1024, "UDPBufferSize": 1200, "QueueCheckInterval": "30s"
        }
        """;

    [Fact]
    public void Applies_every_field_with_a_counterpart()
    {
        Assert.True(UpstreamMemberlistConfig.TryApply(Full, Base, out var o, out var errors), string.Join("; ", errors));
        Assert.Equal(TimeSpan.FromSeconds(5), o.TcpTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), o.PushPullInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.ProbeTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), o.ProbeInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(100), o.GossipInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), o.GossipToTheDeadTime);
        Assert.Equal((2, 3, 5, 7, 4, 5, 1200), (o.IndirectChecks, o.RetransmitMult, o.SuspicionMult,
            o.SuspicionMaxTimeoutMult, o.AwarenessMaxMultiplier, o.GossipNodes, o.UdpBufferSize));
        Assert.True(o.DisableTcpPings);
        Assert.False(o.EnableCompression);
        Assert.Equal("n", o.Name);
    }

    [Fact]
    public void Reports_every_missing_or_bad_field_at_once()
    {
        var json = Full.Replace("\"TCPTimeout\": \"5s\",", "", StringComparison.Ordinal)
            .Replace("\"250ms\"", "\"250\"", StringComparison.Ordinal)
            .Replace("\"GossipNodes\": 5", "\"GossipNodes\": \"5\"", StringComparison.Ordinal);
        Assert.False(UpstreamMemberlistConfig.TryApply(json, Base, out var o, out var errors));
        Assert.Equal(["TCPTimeout is required", "ProbeTimeout must be a Go duration such as \"500ms\"", "GossipNodes must be a non-negative integer"], errors);
        Assert.Same(Base, o);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("300ms", 300)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("-2s", -2000)]
    public void Parses_go_durations(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("1d")]
    [InlineData("ms")]
    [InlineData("1..5s")]
    public void Refuses_what_go_refuses(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }
}
