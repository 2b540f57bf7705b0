using System.Diagnostics.Metrics;
using System.Net;
using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using Microsoft.Extensions.Logging;
using WirePrefix = MetalLb.Net.Bgp.Wire.NlriPrefix;

namespace MetalLb.Net.Speaker.Sinks;

/// <summary>
/// Pushes this node's whole BGP desired state into the engine: one session per BGPPeer that
/// selects the node, and per peer the routes Core decided. Sessions are replaced only when
/// their options change (upstream tears a session down on any peer change too); routes are
/// handed over only when they differ, so a resync that changes nothing sends nothing. A peer
/// with a bfdProfile also gets a BFD session; BFD Down takes its BGP session down at once.
/// The BFD engine (UDP 3784/4784) starts only when the first peer asks for it, so a node where
/// nothing uses BFD never holds those ports.
/// </summary>
internal sealed partial class BgpSink : IAsyncDisposable
{
    private static readonly IReadOnlyList<Afi> V4 = [Afi.IPv4], V6 = [Afi.IPv6], Both = [Afi.IPv4, Afi.IPv6];

    private readonly BgpSpeaker _speaker;
    private readonly ILogger _log;
    private readonly Dictionary<string, BgpPeerOptions> _peers = [];
    private readonly Dictionary<string, RouteSet> _routes = [];
    private readonly Dictionary<string, BfdSessionOptions> _bfdSessions = [];
    private readonly Func<BfdEngine> _newBfd;
    private BfdEngine? _bfd;
    private BfdBgpBinding? _bfdBinding;

    public BgpSink(BgpSpeaker speaker, ILogger log, Func<BfdEngine>? newBfd = null)
    {
        _speaker = speaker;
        _log = log;
        _newBfd = newBfd ?? (() => new BfdEngine(new BfdEngineOptions(), TimeProvider.System));
    }

    /// <summary>The BFD engine, once some peer asked for BFD.</summary>
    public BfdEngine? Bfd => _bfd;

    /// <summary>The BFD engine's default, with the host's meters and logs.</summary>
    public static Func<BfdEngine> BfdFactory(IMeterFactory? meters, ILogger<BfdEngine> log) =>
        () => new BfdEngine(new BfdEngineOptions(), TimeProvider.System, meters, log);

    /// <summary>The peers this node runs a session with now, by BGPPeer name.</summary>
    public IReadOnlyCollection<string> Peers => _peers.Keys;

    /// <summary>
    /// Why a peer cannot be run by our engine, or null. These are refused by name in the
    /// ConfigurationState and a Warning event, never silently ignored.
    /// </summary>
    public static string? Unsupported(PeerConfig peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Vrf is { Length: > 0 })
            return $"vrf \"{peer.Vrf}\" is not supported by the in-process BGP engine; the session is not started";
        if (peer.Interface is { Length: > 0 } || peer.Address is null)
            return "unnumbered peering (interface) is not supported by the in-process BGP engine; the session is not started";
        if (peer.PeerAsn is null)
            return "dynamicASN is not supported by the in-process BGP engine; set peerASN. The session is not started";
        return null;
    }

    /// <summary>Features a runnable peer asks for that the engine does not do yet; the session runs without them.</summary>
    public static string? Degraded(PeerConfig peer, IReadOnlyList<BfdProfileConfig> profiles)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(profiles);
        return peer.BfdProfile is { Length: > 0 } name && profiles.FirstOrDefault(p => p.Name == name) is { EchoMode: true }
            ? $"bfdProfile \"{name}\" asks for echo mode, which this speaker does not implement; BFD runs on control packets alone"
            : null;
    }

    public async Task ApplyAsync(IEnumerable<PeerConfig> peers, IReadOnlyDictionary<string, IReadOnlyList<NodeRoute>> routesByPeer,
        IReadOnlyList<BfdProfileConfig> bfdProfiles)
    {
        var runnable = peers.Where(p => Unsupported(p) is null).ToList();
        var desired = runnable.ToDictionary(p => p.Name, ToOptions, StringComparer.Ordinal);
        foreach (string gone in _peers.Keys.Where(name => !desired.ContainsKey(name)).ToList())
        {
            LogPeerRemoved(gone);
            _peers.Remove(gone);
            _routes.Remove(gone);
            await _speaker.RemovePeerAsync(gone).ConfigureAwait(false);
        }
        await ApplyBfdAsync(runnable, bfdProfiles).ConfigureAwait(false);
        foreach (var (name, options) in desired)
        {
            var routes = ToRoutes(routesByPeer.GetValueOrDefault(name) ?? []);
            if (!_routes.TryGetValue(name, out var current) || !current.Equals(routes))
            {
                _speaker.SetAdvertisements(name, routes);
                _routes[name] = routes;
            }
            if (_peers.TryGetValue(name, out var applied) && SameOptions(applied, options))
                continue;
            LogPeerSet(name, options.PeerAddress.ToString(), options.PeerAs, options.LocalAs);
            _peers[name] = options;
            await _speaker.SetPeerAsync(name, options).ConfigureAwait(false);
        }
    }

    /// <summary>One BFD session per peer with a bfdProfile (single hop, or RFC 5883 multihop for ebgpMultiHop peers).</summary>
    private async Task ApplyBfdAsync(List<PeerConfig> peers, IReadOnlyList<BfdProfileConfig> profiles)
    {
        var wanted = new Dictionary<string, BfdSessionOptions>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            if (peer.BfdProfile is { Length: > 0 } name && profiles.FirstOrDefault(p => p.Name == name) is { } profile)
                wanted[peer.Name] = ToBfdOptions(peer, profile);
        }
        if (_bfd is null && wanted.Count == 0)
            return;
        if (_bfd is null)
        {
            _bfd = _newBfd();
            await _bfd.StartAsync().ConfigureAwait(false);
            _bfdBinding = new BfdBgpBinding(_bfd, _speaker);
            LogBfdStarted();
        }
        foreach (string gone in _bfdSessions.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
        {
            _bfdSessions.Remove(gone);
            await _bfd.RemoveSessionAsync(gone).ConfigureAwait(false);
        }
        foreach (var (name, options) in wanted)
        {
            if (_bfdSessions.TryGetValue(name, out var applied) && applied == options)
                continue;
            _bfdSessions[name] = options;
            LogBfdSession(name, options.PeerAddress.ToString(), (int)options.TransmitInterval.TotalMilliseconds, options.DetectMultiplier);
            await _bfd.SetSessionAsync(name, options).ConfigureAwait(false);
        }
    }

    /// <summary>A BFDProfile for one peer (MetalLB's profile fields; the address from the BGPPeer).</summary>
    public static BfdSessionOptions ToBfdOptions(PeerConfig peer, BfdProfileConfig profile)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(profile);
        return new BfdSessionOptions
        {
            PeerAddress = peer.Address!.Value.ToIPAddress(),
            LocalAddress = peer.SourceAddress?.ToIPAddress(),
            Multihop = peer.EbgpMultiHop,
            ReceiveInterval = TimeSpan.FromMilliseconds(profile.ReceiveIntervalMs),
            TransmitInterval = TimeSpan.FromMilliseconds(profile.TransmitIntervalMs),
            DetectMultiplier = (byte)Math.Clamp(profile.DetectMultiplier, 1, 255),
            EchoMode = profile.EchoMode,
            EchoInterval = TimeSpan.FromMilliseconds(profile.EchoIntervalMs),
            PassiveMode = profile.PassiveMode,
            MinimumTtl = (byte)Math.Clamp(profile.MinimumTtl, 1, 255),
        };
    }

    /// <summary>Stops BFD (AdminDown to every peer, which the peer must not take for a failure).</summary>
    public async ValueTask DisposeAsync()
    {
        _bfdBinding?.Dispose();
        if (_bfd is not null)
            await _bfd.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A BGPPeer as our engine's options (docs/upstream-speaker.md §7.1, FRR-mode semantics).</summary>
    public static BgpPeerOptions ToOptions(PeerConfig peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        IPAddress address = peer.Address!.Value.ToIPAddress();
        var defaults = new BgpPeerOptions { PeerAddress = address, PeerAs = 0, LocalAs = 0 };
        return new BgpPeerOptions
        {
            PeerAddress = address,
            PeerPort = peer.Port,
            PeerAs = peer.PeerAsn!.Value,
            LocalAs = peer.LocalAsn ?? peer.MyAsn,
            RouterId = peer.RouterId?.ToIPAddress(),
            SourceAddress = peer.SourceAddress?.ToIPAddress(),
            Password = peer.Password is { Length: > 0 } pw ? pw : null,
            HoldTime = peer.HoldTime ?? defaults.HoldTime,
            KeepaliveTime = peer.KeepaliveTime,
            ConnectTime = peer.ConnectTime ?? defaults.ConnectTime,
            EbgpMultihop = peer.EbgpMultiHop,
            // A session carries its peer address's family, both with dualStackAddressFamily (§6.4).
            Families = peer.DualStackAddressFamily ? Both : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? V4 : V6,
            GracefulRestart = peer.EnableGracefulRestart,
        };
    }

    /// <summary>
    /// Core's routes as the engine's: LOCAL_PREF only when set, standard and large communities
    /// apart, in a compact sorted set where routes with equal attributes share one object.
    /// </summary>
    public static RouteSet ToRoutes(IEnumerable<NodeRoute> routes)
    {
        var result = new RouteSet.Builder();
        foreach (var r in routes)
        {
            var prefix = new WirePrefix(r.Prefix.Family == IpFamily.IPv4 ? Afi.IPv4 : Afi.IPv6, r.Prefix.Network.Value, r.Prefix.Length);
            result.Add(prefix, new AdvertisedAttributes(
                localPref: r.LocalPref == 0 ? null : r.LocalPref,
                communities: r.Communities.Where(c => !c.IsLarge).Select(c => c.StandardValue),
                largeCommunities: r.Communities.Where(c => c.IsLarge).Select(c => new LargeCommunity(c.GlobalAdministrator, c.LocalData1, c.LocalData2))));
        }
        return result.ToRouteSet();
    }

    // Records compare lists by reference; Families is one of three shared arrays, so == is exact.
    private static bool SameOptions(BgpPeerOptions a, BgpPeerOptions b) => a == b;

    [LoggerMessage(3101, LogLevel.Information, "BGP peer {Name}: session to {Address} AS {PeerAs} from AS {LocalAs}")]
    private partial void LogPeerSet(string name, string address, uint peerAs, uint localAs);

    [LoggerMessage(3102, LogLevel.Information, "BGP peer {Name} no longer selects this node or was deleted: session stopped")]
    private partial void LogPeerRemoved(string name);

    [LoggerMessage(3103, LogLevel.Information, "BFD engine started (UDP 3784 and 4784): a BGPPeer names a bfdProfile")]
    private partial void LogBfdStarted();

    [LoggerMessage(3104, LogLevel.Information, "BFD session for BGP peer {Name} to {Address}: {IntervalMs} ms x {Multiplier}")]
    private partial void LogBfdSession(string name, string address, int intervalMs, int multiplier);
}
