using System.Net;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Session;

/// <summary>One BGP neighbour, as the speaker host configures it (MetalLB's BGPPeer, plus what FRR mode adds).</summary>
public sealed record BgpPeerOptions
{
    public required IPAddress PeerAddress { get; init; }
    /// <value>179 by default.</value>
    public int PeerPort { get; init; } = 179;
    public required uint PeerAs { get; init; }
    public required uint LocalAs { get; init; }
    /// <summary>BGP Identifier; null: the local IPv4 address towards the peer (upstream's rule).</summary>
    public IPAddress? RouterId { get; init; }
    /// <summary>Bind outgoing connections to this local address.</summary>
    public IPAddress? SourceAddress { get; init; }
    /// <summary>TCP MD5 key (RFC 2385); null for none.</summary>
    public string? Password { get; init; }
    /// <value>90 seconds by default; zero disables keepalives and the hold timer.</value>
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(90);
    /// <value>Null by default: a third of the negotiated hold time.</value>
    public TimeSpan? KeepaliveTime { get; init; }
    /// <value>10 seconds by default: dial plus OPEN exchange.</value>
    public TimeSpan ConnectTime { get; init; } = TimeSpan.FromSeconds(10);
    /// <value>1 second by default; doubles per failure up to 120 seconds.</value>
    public TimeSpan ConnectRetryMin { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>eBGP peer more than one hop away: TTL 255 instead of 1.</summary>
    public bool EbgpMultihop { get; init; }
    /// <summary>Never dial; wait for the peer on the speaker's listener.</summary>
    public bool Passive { get; init; }
    /// <value>IPv4 and IPv6 unicast by default (MetalLB FRR mode's dualStackAddressFamily).</value>
    public IReadOnlyList<Afi> Families { get; init; } = [Afi.IPv4, Afi.IPv6];
    /// <summary>Announce graceful restart (RFC 4724) so the peer keeps our routes while we restart.</summary>
    public bool GracefulRestart { get; init; }
    /// <value>120 seconds by default (FRR's default restart time).</value>
    public TimeSpan GracefulRestartTime { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Next hop for IPv4 prefixes; null: our address on the session (next-hop self).</summary>
    public IPAddress? NextHopIPv4 { get; init; }
    /// <summary>Next hop for IPv6 prefixes; null: our address on the session, or an IPv6 address on the same interface.</summary>
    public IPAddress? NextHopIPv6 { get; init; }

    public bool IsInternal => PeerAs == LocalAs;

    /// <summary>"addr:port", the peer label of upstream's metrics.</summary>
    public string MetricLabel => new IPEndPoint(PeerAddress, PeerPort).ToString();
}
