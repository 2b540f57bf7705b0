using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Rib;
using MetalLb.Net.Bgp.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Bgp.Session;

/// <summary>
/// The API the speaker host drives: peers by name, the advertisements for each, and session
/// states to observe. One <see cref="BgpPeerSession"/> loop per peer; an optional listener
/// hands incoming connections to the peer with that address.
/// </summary>
public sealed class BgpSpeaker : IAsyncDisposable
{
    private readonly BgpSpeakerOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BgpPeerSession> _peers = [];
    private readonly Dictionary<string, RouteSet> _advertisements = [];
    private readonly List<Socket> _listeners = [];
    private readonly HashSet<string> _unreachable = [];
    private readonly BgpMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();

    private readonly ILogger _logger;

    public BgpSpeaker(BgpSpeakerOptions options, TimeProvider time, IMeterFactory? meterFactory = null, ILogger<BgpSpeaker>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _metrics = new BgpMetrics(GetPeers, meterFactory);
        if (options.ListenPort is { } port)
        {
            Listen(new IPEndPoint(options.ListenAddressIPv4, port));
            Listen(new IPEndPoint(options.ListenAddressIPv6, port));
        }
    }

    /// <summary>Every FSM state change of every peer, with its reason.</summary>
    public event Action<BgpPeerStateChange>? StateChanged;

    /// <summary>Adds a peer, or replaces one whose options changed (upstream tears the session down too).</summary>
    public async Task SetPeerAsync(string name, BgpPeerOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        BgpPeerSession? old;
        lock (_lock)
        {
            if (_peers.TryGetValue(name, out old) && old.Options == options)
                return;
            _peers.Remove(name);
        }
        if (old is not null)
            await old.StopAsync(graceful: false, BgpError.CeaseOtherConfigurationChange.Subcode).ConfigureAwait(false);
        var session = new BgpPeerSession(name, options, _options.Restarting, _time, c => StateChanged?.Invoke(c), NewSocket, _logger);
        lock (_lock)
        {
            foreach (var l in _listeners.Where(l => l.AddressFamily == options.PeerAddress.AddressFamily && options.Password is not null))
                TcpMd5.SetKey(l, options.PeerAddress, options.Password!);
            _peers[name] = session;
            if (_unreachable.Contains(name))
                session.SetReachable(false);
            if (_advertisements.TryGetValue(name, out var routes))
                session.Advertise(routes);
        }
    }

    public async Task RemovePeerAsync(string name)
    {
        BgpPeerSession? old;
        lock (_lock)
        {
            if (!_peers.Remove(name, out old))
                return;
            _advertisements.Remove(name);
            _unreachable.Remove(name);
            foreach (var l in _listeners.Where(l => l.AddressFamily == old.Options.PeerAddress.AddressFamily && old.Options.Password is not null))
                TcpMd5.SetKey(l, old.Options.PeerAddress, "");
        }
        await old.StopAsync(graceful: false, BgpError.CeasePeerDeconfigured.Subcode).ConfigureAwait(false);
    }

    /// <summary>
    /// BFD's verdict on a peer (RFC 5882 §4.3), for the host to feed from
    /// <c>BfdEngine.StateChanged</c>: false brings an Established session down at once (Cease 6/10,
    /// RFC 9384) and keeps the peer Idle, neither dialing nor accepting; true starts it again.
    /// Remembered across <see cref="SetPeerAsync"/> replacing the peer; may be called before it exists.
    /// </summary>
    public void SetPeerReachable(string name, bool reachable)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (!(reachable ? _unreachable.Remove(name) : _unreachable.Add(name)))
                return;
            if (_peers.TryGetValue(name, out var session))
                session.SetReachable(reachable);
        }
    }

    /// <summary>
    /// Replaces what <paramref name="name"/> should advertise; may be called before the peer exists.
    /// The set is immutable, so it is kept as given, and one set may serve many peers.
    /// </summary>
    public void SetAdvertisements(string name, RouteSet routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        lock (_lock)
        {
            _advertisements[name] = routes;
            if (_peers.TryGetValue(name, out var session))
                session.Advertise(routes);
        }
    }

    /// <summary>Same, from any prefix-to-attributes map: copied once into a compact <see cref="RouteSet"/>.</summary>
    public void SetAdvertisements(string name, IReadOnlyDictionary<NlriPrefix, AdvertisedAttributes> routes) =>
        SetAdvertisements(name, RouteSet.From(routes));

    public IReadOnlyList<BgpPeerStatus> GetPeers()
    {
        lock (_lock)
            return _peers.Values.Select(p => p.Status with { UpdatesSent = p.UpdatesSent }).ToList();
    }

    public BgpPeerStatus? GetPeer(string name)
    {
        lock (_lock)
            return _peers.TryGetValue(name, out var p) ? p.Status with { UpdatesSent = p.UpdatesSent } : null;
    }

    /// <summary>Bytes written to <paramref name="name"/>'s connections so far (for the benchmark).</summary>
    public long GetBytesSent(string name)
    {
        lock (_lock)
            return _peers.TryGetValue(name, out var p) ? p.BytesSent : 0;
    }

    /// <summary>
    /// Stops every session. <paramref name="graceful"/> closes without NOTIFICATION, as a
    /// restarting speaker must for peers to keep its routes (RFC 4724 §4); otherwise each peer
    /// gets Cease / Administrative Shutdown (RFC 4486).
    /// </summary>
    public async Task StopAsync(bool graceful = false)
    {
        List<BgpPeerSession> peers;
        lock (_lock)
        {
            peers = [.. _peers.Values];
            _peers.Clear();
            foreach (var l in _listeners)
                l.Dispose();
            _listeners.Clear();
        }
        _stopping.Cancel();
        await Task.WhenAll(peers.Select(p => p.StopAsync(graceful))).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _stopping.Dispose();
    }

    private Socket NewSocket(AddressFamily family) =>
        _options.SocketFactory?.Invoke(family) ?? new Socket(family, SocketType.Stream, ProtocolType.Tcp);

    private void Listen(IPEndPoint endpoint)
    {
        var socket = NewSocket(endpoint.AddressFamily);
        try
        {
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = false;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(64);
        }
        catch (SocketException) when (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.Dispose(); // no IPv6 on this host: IPv4 peers still work
            return;
        }
        _listeners.Add(socket);
        _ = Task.Run(() => AcceptLoopAsync(socket));
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            var remote = ((IPEndPoint)accepted.RemoteEndPoint!).Address;
            BgpPeerSession? session;
            lock (_lock)
                session = _peers.Values.FirstOrDefault(p => p.Options.PeerAddress.Equals(remote));
            if (session is null)
                accepted.Dispose(); // RFC 4271 §8.2.1: only configured peers
            else
                session.Accept(accepted);
        }
    }
}
