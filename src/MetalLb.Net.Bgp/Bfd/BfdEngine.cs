using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using MetalLb.Net.Bgp.Bfd.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// BFD for the speaker: sessions by key (the BGP peer's name), one UDP listener per port (3784
/// single hop, 4784 multihop) per address family, and one loop that owns every session's state
/// machine, its timers and its sends. Listeners, the host and the clock post into the loop's
/// inbox, so nothing else touches a session.
/// </summary>
public sealed partial class BfdEngine : IAsyncDisposable
{
    private readonly BfdEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, BfdPeer> _peers = [];
    private readonly Dictionary<uint, BfdPeer> _byDiscriminator = [];
    private readonly ConcurrentDictionary<string, BfdPeer> _snapshot = new();
    private readonly ConcurrentDictionary<BfdDropReason, long> _dropped = new();
    private readonly List<BfdListener> _listeners = [];
    private readonly BfdMetrics _metrics;
    private Task? _loop;
    private int _stopped;

    public BfdEngine(BfdEngineOptions options, TimeProvider time, IMeterFactory? meterFactory = null, ILogger<BfdEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _metrics = new BfdMetrics(GetSessions, options.Vrf, meterFactory);
    }

    /// <summary>
    /// Every state change of every session, raised on the engine's loop: handlers must not
    /// block (post to your own queue; <c>BgpSpeaker.SetPeerReachable</c> does).
    /// </summary>
    public event Action<BfdSessionStateChange>? StateChanged;

    /// <summary>Each control packet sent (session key, time), for the detection-time benchmark to know which was the last one heard.</summary>
    internal event Action<string, DateTimeOffset>? PacketSent;

    /// <summary>Opens the listeners and starts the loop. Throws if a port is taken (another BFD daemon).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is not null)
            return Task.CompletedTask;
        var factory = _options.SocketFactory ?? (f => new Socket(f, SocketType.Dgram, ProtocolType.Udp));
        try
        {
            foreach (var address in new[] { _options.ListenAddressIPv4, _options.ListenAddressIPv6 })
                foreach (var (port, multihop) in new[] { (BfdPeer.SingleHopPort, false), (BfdPeer.MultihopPort, true) })
                    if (BfdListener.Open(factory, address, port, multihop, d => _inbox.Writer.TryWrite(d)) is { } listener)
                        _listeners.Add(listener);
        }
        catch
        {
            foreach (var l in _listeners)
                l.Dispose();
            _listeners.Clear();
            throw;
        }
        _loop = Task.Run(() => RunAsync(factory), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Adds a session, changes its timers (a poll sequence while Up), or replaces it when the address or hop mode changed.</summary>
    public Task SetSessionAsync(string key, BfdSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        return PostAsync(new SetSession(key, options));
    }

    /// <summary>Removes a session; the peer is told AdminDown first, which it must not take as a failure (RFC 5882 §3.2).</summary>
    public Task RemoveSessionAsync(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return PostAsync(new RemoveSession(key));
    }

    public IReadOnlyList<BfdSessionStatus> GetSessions() => _snapshot.Values.Select(p => p.Status).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();

    public BfdSessionStatus? GetSession(string key) => _snapshot.TryGetValue(key, out var p) ? p.Status : null;

    /// <summary>Received packets dropped, by reason (decode errors and failed session checks).</summary>
    public IReadOnlyDictionary<BfdDropReason, long> Dropped => new Dictionary<BfdDropReason, long>(_dropped);

    /// <summary>Sends AdminDown on every session, stops the loop and closes every socket.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_loop is not null && _inbox.Writer.TryWrite(new Stop(done)))
            await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _inbox.Writer.TryComplete();
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        foreach (var l in _listeners)
            l.Dispose();
        _listeners.Clear();
        foreach (var p in _peers.Values)
            p.Dispose();
        _peers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }

    private Task PostAsync(object command)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite((command, done)))
            return Task.FromException(new ObjectDisposedException(nameof(BfdEngine)));
        return _loop is null ? Task.CompletedTask : done.Task;   // before StartAsync: applied when the loop starts
    }

    private sealed record SetSession(string Key, BfdSessionOptions Options);
    private sealed record RemoveSession(string Key);
    private sealed record Stop(TaskCompletionSource Done);
}
