using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Layer2.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Layer2;

/// <summary>
/// What the speaker drives: tell it which IPs this node owns (and on which interfaces), and it
/// answers ARP and Neighbor Solicitations for them on every eligible link and announces each
/// takeover. Ownership changes take effect for the next frame received.
/// </summary>
public sealed partial class Layer2Announcer : IDisposable
{
    private readonly Layer2Options _options;
    private readonly ILinkSource _links;
    private readonly IPacketConnFactory _conns;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<Regex> _exclude;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, LinkResponder> _responders = [];
    private readonly GratuitousSchedule _schedule = new();
    private readonly long _epoch;
    private volatile OwnershipTable _owned = OwnershipTable.Empty;
    private IReadOnlyDictionary<string, LinkVerdict> _verdicts = new Dictionary<string, LinkVerdict>();
    private ITimer? _scanTimer, _refreshTimer, _gratuitousTimer;
    private readonly bool _ownsMetrics;
    private bool _disposed;

    /// <summary>Announcer on real links and AF_PACKET sockets, in the namespace <paramref name="sockets"/> creates them in.</summary>
    public Layer2Announcer(
        Layer2Options options, ISocketProvider? sockets = null, TimeProvider? time = null,
        Layer2Metrics? metrics = null, ILogger<Layer2Announcer>? logger = null)
        : this(options,
               new NetlinkLinkReader(sockets ?? SystemSocketProvider.Instance),
               new PacketSocketFactory(sockets ?? SystemSocketProvider.Instance,
                   (options ?? throw new ArgumentNullException(nameof(options))).ReceivePollInterval, options.PerCpuReceiveMaxCpus),
               time, metrics, logger)
    {
    }

    public Layer2Announcer(
        Layer2Options options, ILinkSource links, IPacketConnFactory conns, TimeProvider? time = null,
        Layer2Metrics? metrics = null, ILogger<Layer2Announcer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(conns);
        _options = options;
        _links = links;
        _conns = conns;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _exclude = LinkEligibility.Compile(options.ExcludeInterfaces);
        _ownsMetrics = metrics is null;
        Metrics = metrics ?? new Layer2Metrics();
        _epoch = _time.GetTimestamp();
    }

    public Layer2Metrics Metrics { get; }

    /// <summary>The IPs owned now, each with the interfaces it is limited to (null: all).</summary>
    public IReadOnlyDictionary<IPAddress, FrozenSet<string>?> Owned => _owned.Owned;

    /// <summary>The links that have responders now.</summary>
    public IReadOnlyList<LinkInfo> ActiveLinks
    {
        get { lock (_gate) return [.. _responders.Values.Select(r => r.Link)]; }
    }

    /// <summary>Every receive thread's counters, for diagnostics (one lane per link and protocol, or per CPU).</summary>
    public IReadOnlyList<ReceiveLane> ReceiveLanes
    {
        get { lock (_gate) return [.. _responders.Values.SelectMany(r => r.Lanes)]; }
    }

    /// <summary>Why each link seen at the last scan does or does not answer.</summary>
    public IReadOnlyDictionary<string, LinkVerdict> LinkVerdicts
    {
        get { lock (_gate) return _verdicts; }
    }

    /// <summary>True while takeover announcements are still to be sent.</summary>
    public bool AnnouncementsPending
    {
        get { lock (_gate) return _schedule.PendingCount > 0; }
    }

    /// <summary>Lists links and opens responders (throws if that fails), then follows links on a timer.</summary>
    public void Start()
    {
        Rescan();
        _scanTimer = _time.CreateTimer(_ => SafeRescan(), null, _options.LinkScanInterval, _options.LinkScanInterval);
        if (_options.RefreshInterval is { } refresh)
            _refreshTimer = _time.CreateTimer(_ => Refresh(), null, refresh, refresh);
    }

    /// <summary>
    /// This node owns <paramref name="ip"/> from now on; answer it on <paramref name="interfaces"/>
    /// (the L2Advertisement list; null or empty: every eligible link). Every call, like upstream's
    /// SetBalancer, (re)starts the takeover announcements.
    /// </summary>
    public void Announce(IPAddress ip, IEnumerable<string>? interfaces = null)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentException("Only IPv4 and IPv6 addresses can be announced.", nameof(ip));
        var links = interfaces?.ToFrozenSet(StringComparer.Ordinal);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var owned = new Dictionary<IPAddress, FrozenSet<string>?>(_owned.Owned) { [ip] = links };
            SwapOwnership(owned);
            Log.Announcing(_logger, ip.ToString(), links is { Count: > 0 } ? string.Join(',', links.Order()) : "all links");
            if (_schedule.Push(ip, Now()))
                SendRound(ip);
            ArmGratuitousTimer();
        }
    }

    /// <summary>
    /// Replaces the whole owned set, the way a reconcile loop states its desired state: IPs not in
    /// <paramref name="owned"/> are withdrawn, new ones are announced (with takeover rounds), and
    /// IPs already owned only get their interface list updated, without new announcements.
    /// </summary>
    public void SetOwned(IReadOnlyDictionary<IPAddress, IReadOnlyCollection<string>?> owned)
    {
        ArgumentNullException.ThrowIfNull(owned);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var previous = _owned.Owned;
            SwapOwnership(owned.ToDictionary(p => p.Key, p => p.Value?.ToFrozenSet(StringComparer.Ordinal)));
            foreach (var ip in previous.Keys.Where(ip => !owned.ContainsKey(ip)))
                _schedule.Remove(ip);
            foreach (var ip in owned.Keys.Where(ip => !previous.ContainsKey(ip)))
            {
                if (_schedule.Push(ip, Now()))
                    SendRound(ip);
            }
            ArmGratuitousTimer();
        }
    }

    /// <summary>
    /// Restarts the takeover announcements of every IP owned now, as if each had just been won.
    /// For a node that kept its IPs while others may have claimed them too (a healed partition):
    /// the LAN's caches point at whoever announced last, and nothing else would move them back.
    /// </summary>
    public void Reannounce()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var ip in _owned.Owned.Keys)
            {
                if (_schedule.Push(ip, Now()))
                    SendRound(ip);
            }
            ArmGratuitousTimer();
        }
    }

    /// <summary>This node no longer owns <paramref name="ip"/>: stop answering and announcing it now.</summary>
    public void Withdraw(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        lock (_gate)
        {
            var owned = new Dictionary<IPAddress, FrozenSet<string>?>(_owned.Owned);
            if (!owned.Remove(ip))
                return;
            SwapOwnership(owned);
            _schedule.Remove(ip);
            Log.Withdrew(_logger, ip.ToString());
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _owned = OwnershipTable.Empty;
        }
        _scanTimer?.Dispose();
        _refreshTimer?.Dispose();
        _gratuitousTimer?.Dispose();
        lock (_gate)
        {
            foreach (var responder in _responders.Values)
                responder.Dispose();
            _responders.Clear();
        }
        if (_ownsMetrics)
            Metrics.Dispose();
    }

    private void SwapOwnership(Dictionary<IPAddress, FrozenSet<string>?> owned)
    {
        _owned = new OwnershipTable(owned);
        foreach (var responder in _responders.Values)
            responder.UpdateMemberships(_owned);
    }

    private TimeSpan Now() => _time.GetElapsedTime(_epoch);
}
