using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Speaker.Sinks;
using MetalLb.Net.Speaker.Status;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker.Reconcile;

/// <summary>
/// The speaker's one loop. Any change (a Service, an EndpointSlice, a Node, the configuration, a
/// member joining or dying) wakes it; a pass asks Core about every Service for this node and
/// pushes the whole result into the sinks: Layer 2 first (an ARP takeover must not wait for
/// anything), then BGP, then the status objects and events in the background. Passes coalesce:
/// changes that arrive during a pass cause exactly one more. The configuration is re-parsed only
/// when a configuration object changed; an invalid one is reported and never applied, so the
/// last good announcements stay.
/// </summary>
internal sealed partial class SpeakerReconciler : IDisposable
{
    private readonly SpeakerOptions _options;
    private readonly SpeakerCaches _caches;
    private readonly Func<IReadOnlySet<string>?> _liveSpeakers;
    private readonly Layer2Sink _layer2;
    private readonly BgpSink _bgp;
    private readonly StatusWriter _status;
    private readonly EventQueue _events;
    private readonly SpeakerMetrics _metrics;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _signal = new(0);
    private int _configDirty = 1;
    private MetalLbConfig? _config;
    private ConfigVerdict _verdict = ConfigVerdict.Pending;
    private HashSet<(ServiceKey, string)> _assigned = [];
    private IReadOnlySet<string>? _lastLive;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public SpeakerReconciler(SpeakerOptions options, SpeakerCaches caches, Func<IReadOnlySet<string>?> liveSpeakers,
        Layer2Sink layer2, BgpSink bgp, StatusWriter status, EventQueue events, SpeakerMetrics metrics, ILogger log)
    {
        _options = options;
        _caches = caches;
        _liveSpeakers = liveSpeakers;
        _layer2 = layer2;
        _bgp = bgp;
        _status = status;
        _events = events;
        _metrics = metrics;
        _log = log;
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>The configuration in use (the last valid one), or null before the first valid one.</summary>
    public MetalLbConfig? Config => _config;

    /// <summary>Asks for a pass; <paramref name="config"/> also re-parses the configuration.</summary>
    public void Signal(bool config = false)
    {
        if (config)
            Interlocked.Exchange(ref _configDirty, 1);
        if (_signal.CurrentCount == 0)
            _signal.Release();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        Signal(config: true);
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await PassAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug in one pass must not stop the node from answering: log, retry on the next change.
                LogPassFailed(e);
                _metrics.UpdateFailed();
            }
        }
    }

    private async Task PassAsync()
    {
        if (Interlocked.Exchange(ref _configDirty, 0) == 1)
            LoadConfig();
        var nodes = _caches.Nodes.Cache.List();
        var self = nodes.FirstOrDefault(n => n.Metadata.Name == _options.NodeName);
        if (_config is not { } config)
        {
            // Nothing valid was ever loaded: announce nothing, say why.
            _layer2.Apply([]);
            await _bgp.ApplyAsync([], new Dictionary<string, IReadOnlyList<NodeRoute>>(), []).ConfigureAwait(false);
            _status.Publish(new StatusReport(new Dictionary<ServiceKey, IReadOnlyList<string>?>(), new Dictionary<ServiceKey, IReadOnlyList<string>>(), _verdict));
            return;
        }

        var live = _liveSpeakers();
        var scope = new SpeakerScope(_options.NodeName, config, nodes, live, _options.IgnoreExcludeLabel);
        var links = _layer2.Links;
        var pass = new PassResult();
        foreach (var service in _caches.Services.Cache.List())
        {
            if (!LoadBalancerClassFilter.Handles(service.Spec.LoadBalancerClass, _options.LoadBalancerClass))
                continue;
            var decision = NodeAnnouncer.Decide(scope, service, _caches.SlicesOf(service));
            var key = new ServiceKey(service.Metadata.Namespace ?? "", service.Metadata.Name ?? "");
            if (decision.Withdrawn == NotAnnouncedReason.IpNotAllowed)
                WarnOnce(service, $"ipNotAllowed/{key}/{string.Join(',', service.Status?.LoadBalancer?.Ingress?.Select(i => i.IP) ?? [])}",
                    $"{string.Join(", ", service.Status?.LoadBalancer?.Ingress?.Select(i => i.IP) ?? [])} is not in any IPAddressPool, so node {_options.NodeName} does not announce it");
            if (decision.L2.Announce)
                AddLayer2(pass, service, key, decision, links);
            if (decision.Bgp.Announce)
                AddBgp(pass, service, key, decision);
        }

        _layer2.Apply(pass.Owned);
        // A speaker joined (or rejoined after a partition, during which it may have claimed our
        // IPs): the IPs we kept get gratuitous ARP/NA again, as upstream's re-sync on a memberlist
        // join does, or the LAN would keep sending to the node that claimed them last.
        if (_lastLive is not null && live is not null && live.Any(m => !_lastLive.Contains(m)))
            _layer2.Reannounce();
        _lastLive = live;
        var peers = self is null ? [] : config.Peers.Where(p => p.SelectsNode(self.Metadata.Labels)).ToList();
        await _bgp.ApplyAsync(peers, NodeAnnouncer.RoutesByPeer(pass.Routes), config.BfdProfiles).ConfigureAwait(false);

        foreach (var (key, protocol) in pass.Assigned.Where(a => !_assigned.Contains(a)))
        {
            if (_caches.Services.Cache.Get(key.ToString()) is { } service)
                _events.Normal(service, "nodeAssigned", $"announcing from node \"{_options.NodeName}\" with protocol \"{protocol}\"");
        }
        _assigned = pass.Assigned;
        _status.Publish(new StatusReport(pass.Layer2Status, pass.BgpStatus, _verdict));
        _metrics.PassDone(pass.Announced);
    }

    private void AddLayer2(PassResult pass, Service service, ServiceKey key, NodeAnnouncement decision, IReadOnlySet<string> links)
    {
        var interfaces = _layer2.Resolve(decision.L2.Interfaces!, links);
        if (interfaces is { Count: 0 })
        {
            // Upstream's documented limitation: no listed interface here, nobody announces (§4.3).
            WarnOnce(service, $"announceFailed/{key}/{decision.L2.Interfaces}",
                $"the L2Advertisements name interfaces {decision.L2.Interfaces} and node {_options.NodeName} has none of them; the IP is not announced");
            return;
        }
        foreach (var ip in decision.Ips)
        {
            var address = ip.ToIPAddress();
            // Services sharing an IP have the same winner; answer on the union of their interfaces.
            pass.Owned[address] = pass.Owned.TryGetValue(address, out var already)
                ? (already is null || interfaces is null ? null : already.Union(interfaces, StringComparer.Ordinal).ToList())
                : interfaces;
            pass.Announced.Add(new(key.ToString(), "layer2", _options.NodeName, ip.ToString()));
        }
        pass.Layer2Status[key] = decision.L2.Interfaces!.All ? null : interfaces!.Order(StringComparer.Ordinal).ToList();
        pass.Assigned.Add((key, "layer2"));
    }

    private void AddBgp(PassResult pass, Service service, ServiceKey key, NodeAnnouncement decision)
    {
        pass.Routes.AddRange(decision.Bgp.Routes);
        pass.BgpStatus[key] = decision.Bgp.Peers;
        foreach (var ip in decision.Ips)
            pass.Announced.Add(new(key.ToString(), "bgp", _options.NodeName, ip.ToString()));
        pass.Assigned.Add((key, "bgp"));
    }

    private void LoadConfig()
    {
        var result = ConfigParser.Parse(NodeConfigFilter.ForNode(_caches.ConfigInput(_options.Mode), _options.NodeName));
        if (result.IsValid)
        {
            _config = result.Config;
            _verdict = new ConfigVerdict(true, [], PeerWarnings(result.Config!));
            _metrics.ConfigLoaded(true);
            LogConfigLoaded(result.Config!.Pools.Count, result.Config.Peers.Count);
            return;
        }
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        _verdict = new ConfigVerdict(false, errors, _config is null ? [] : PeerWarnings(_config));
        _metrics.ConfigLoaded(false);
        LogConfigInvalid(errors.Count, string.Join("; ", errors), _config is not null);
    }

    /// <summary>BGPPeer features the engine cannot run: a Warning event on the peer and a line in the ConfigurationState.</summary>
    private List<string> PeerWarnings(MetalLbConfig config)
    {
        var warnings = new List<string>();
        foreach (var peer in config.Peers)
        {
            if ((BgpSink.Unsupported(peer) ?? BgpSink.Degraded(peer, config.BfdProfiles)) is not { } problem)
                continue;
            string line = $"BGPPeer \"{peer.Name}\": {problem}";
            warnings.Add(line);
            if (_caches.Peers.Cache.Get($"{_options.Namespace}/{peer.Name}") is { } obj)
                WarnOnce(obj, "peer/" + line, problem, "unsupportedFeature");
        }
        return warnings;
    }

    private void WarnOnce(Api.Meta.KubeObject involved, string key, string message, string reason = "announceFailed")
    {
        if (!_warned.Add(key))
            return;
        LogWarning(message);
        _events.Warning(involved, reason, message);
    }

    /// <summary>What one pass decided for this node.</summary>
    private sealed class PassResult
    {
        public Dictionary<IPAddress, IReadOnlyCollection<string>?> Owned { get; } = [];
        public List<NodeRoute> Routes { get; } = [];
        public Dictionary<ServiceKey, IReadOnlyList<string>?> Layer2Status { get; } = [];
        public Dictionary<ServiceKey, IReadOnlyList<string>> BgpStatus { get; } = [];
        public List<SpeakerMetrics.Announced> Announced { get; } = [];
        public HashSet<(ServiceKey, string)> Assigned { get; } = [];
    }

    [LoggerMessage(3401, LogLevel.Information, "configuration loaded: {Pools} pools, {Peers} BGP peers for this node")]
    private partial void LogConfigLoaded(int pools, int peers);

    [LoggerMessage(3402, LogLevel.Error, "configuration invalid ({Count} errors), keeping the last valid one ({HaveLast}): {Errors}")]
    private partial void LogConfigInvalid(int count, string errors, bool haveLast);

    [LoggerMessage(3403, LogLevel.Warning, "{Message}")]
    private partial void LogWarning(string message);

    [LoggerMessage(3404, LogLevel.Error, "a reconcile pass failed; the previous announcements stay")]
    private partial void LogPassFailed(Exception error);
}
