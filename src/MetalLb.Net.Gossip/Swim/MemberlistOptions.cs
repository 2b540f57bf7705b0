using System.Net;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

/// <summary>
/// Timings and identity of one member. Field names and meanings follow hashicorp/memberlist's
/// Config so upstream's metallb-memberlist-config override file maps one to one.
/// Start from <see cref="Lan"/> (upstream's defaults) or <see cref="Fast"/>.
/// </summary>
public sealed record MemberlistOptions
{
    /// <summary>Unique member name; upstream MetalLB uses the node name.</summary>
    public required string Name { get; init; }

    /// <summary>Address and port other members reach us at (UDP and TCP). 7946 upstream.</summary>
    public required IPEndPoint Advertise { get; init; }

    /// <value>1 second in <see cref="Lan"/>.</value>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <value>500 ms in <see cref="Lan"/>.</value>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <value>3 in <see cref="Lan"/>.</value>
    public int IndirectChecks { get; init; } = 3;

    /// <value>4 in <see cref="Lan"/>: each broadcast is sent 4 x ceil(log10(n+1)) times.</value>
    public int RetransmitMult { get; init; } = 4;

    /// <value>4 in <see cref="Lan"/>: suspicion lasts at least 4 x max(1, log10(n)) probe intervals.</value>
    public int SuspicionMult { get; init; } = 4;

    /// <value>6 in <see cref="Lan"/>: the longest suspicion is 6 times the shortest.</value>
    public int SuspicionMaxTimeoutMult { get; init; } = 6;

    /// <value>30 seconds in <see cref="Lan"/>.</value>
    public TimeSpan PushPullInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <value>200 ms in <see cref="Lan"/>.</value>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <value>3 in <see cref="Lan"/>.</value>
    public int GossipNodes { get; init; } = 3;

    /// <value>30 seconds in <see cref="Lan"/>: dead members still get gossip this long, so they can refute.</value>
    public TimeSpan GossipToTheDeadTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <value>8 in <see cref="Lan"/>: Lifeguard's local health scales timeouts up to 8x.</value>
    public int AwarenessMaxMultiplier { get; init; } = 8;

    /// <value>true in <see cref="Lan"/>.</value>
    public bool EnableCompression { get; init; } = true;

    /// <summary>memberlist's DisableTcpPings: skip the TCP ping sent beside indirect probes.</summary>
    /// <value>false in <see cref="Lan"/>.</value>
    public bool DisableTcpPings { get; init; }

    /// <value>1400 bytes in <see cref="Lan"/>: the largest gossip packet we build.</value>
    public int UdpBufferSize { get; init; } = 1400;

    /// <value>10 seconds in <see cref="Lan"/>.</value>
    public TimeSpan TcpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Not in memberlist: how often to push-pull with one member we believe dead (not left), so a
    /// healed partition rejoins without the host's help, the way upstream MetalLB re-joins every
    /// speaker each minute. Zero turns it off.
    /// </summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Not in memberlist: how long <see cref="ReconnectInterval"/> keeps trying a member after it
    /// was reaped from the list (GossipToTheDeadTime after its death). Zero stops at the reaping.
    /// </summary>
    /// <value>10 minutes by default; the speaker's own join of every Ready speaker Pod covers longer partitions.</value>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Not in memberlist: learn each member's ack round trip (RFC 6298) and give a slow one a
    /// longer probe timeout (up to <see cref="AdaptiveProbeTimeoutCap"/>) and a suspicion of at
    /// least <see cref="SuspicionMult"/> times that timeout. Off in <see cref="Lan"/> (memberlist's
    /// behaviour), on in <see cref="Fast"/>, whose 40 ms timeout is shorter than a throttled
    /// member's stalls.
    /// </summary>
    public bool AdaptiveProbeTimeout { get; init; }

    /// <value>400 ms in <see cref="Fast"/>: the longest probe timeout a slow member earns.</value>
    public TimeSpan AdaptiveProbeTimeoutCap { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Encryption keys; null sends and accepts plaintext only.</summary>
    public Keyring? Keyring { get; init; }

    /// <summary>Opaque metadata gossiped with our alive messages (memberlist's node meta, at most 512 bytes).</summary>
    public byte[] Meta { get; init; } = [];

    /// <summary>Upstream's memberlist.DefaultLANConfig, which MetalLB uses (docs/upstream-speaker.md §5).</summary>
    public static MemberlistOptions Lan(string name, IPEndPoint advertise) => new() { Name = name, Advertise = advertise };

    /// <summary>
    /// Detects a dead member in well under a second on a LAN: probes every 100 ms with a 40 ms
    /// timeout (LAN round trips are well under a millisecond, so 40 ms still leaves wide margin for
    /// a busy host), suspicion of at least 3 probe intervals (x log10(n) above 10 members, and
    /// one independent confirmation expected before the minimum applies), gossip every 20 ms to
    /// 4 members, each broadcast sent 6 x log10(n+1) times, so a verdict or a refutation spreads
    /// in a few tens of milliseconds even with loss. Indirect probes and Lifeguard's
    /// awareness stay on: a member that is slow itself backs off instead of accusing others.
    /// A member held dead (or reaped) gets a push-pull every second, so a healed partition is one
    /// cluster again within about a second.
    /// </summary>
    public static MemberlistOptions Fast(string name, IPEndPoint advertise) => new()
    {
        Name = name,
        Advertise = advertise,
        ProbeInterval = TimeSpan.FromMilliseconds(100),
        ProbeTimeout = TimeSpan.FromMilliseconds(40),
        SuspicionMult = 3,
        RetransmitMult = 6,
        SuspicionMaxTimeoutMult = 4,
        GossipInterval = TimeSpan.FromMilliseconds(20),
        GossipNodes = 4,
        PushPullInterval = TimeSpan.FromSeconds(10),
        GossipToTheDeadTime = TimeSpan.FromSeconds(10),
        ReconnectInterval = TimeSpan.FromSeconds(1),
        AdaptiveProbeTimeout = true,
        TcpTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// Clusters up to this size get <see cref="Fast"/> unchanged from <see cref="ForClusterSize"/>:
    /// the largest size measured to hold (simulated 1,000 members: 99 % knew of a death in 1.24 s,
    /// no live member suspected; docs/benchmarks-gossip.md).
    /// </summary>
    public const int FastProfileMaxMembers = 1000;

    /// <summary>
    /// Picks timers for a cluster of about <paramref name="expectedMembers"/>: <see cref="Fast"/> up
    /// to <see cref="FastProfileMaxMembers"/>, above it the fast profile with its probe and gossip
    /// timers stretched by log(n)/log(1000), untested territory where slower is safer.
    /// A pure function, so a host can log what it chose and why.
    /// </summary>
    public static MemberlistOptions ForClusterSize(string name, IPEndPoint advertise, int expectedMembers)
    {
        var fast = Fast(name, advertise);
        if (expectedMembers <= FastProfileMaxMembers)
            return fast;
        var stretch = Math.Log10(expectedMembers) / Math.Log10(FastProfileMaxMembers);
        return fast with
        {
            ProbeInterval = fast.ProbeInterval * stretch,
            ProbeTimeout = fast.ProbeTimeout * stretch,
            GossipInterval = fast.GossipInterval * stretch,
        };
    }
}
