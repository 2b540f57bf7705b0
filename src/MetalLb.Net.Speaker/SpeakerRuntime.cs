using System.Diagnostics.Metrics;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Gossip.Diagnostics;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Events;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Layer2;
using MetalLb.Net.Layer2.Responders;
using MetalLb.Net.Speaker.Membership;
using MetalLb.Net.Speaker.Reconcile;
using MetalLb.Net.Speaker.Sinks;
using MetalLb.Net.Speaker.Status;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker;

/// <summary>
/// The speaker process minus its HTTP endpoints: caches, then the Layer 2 responders, the BGP
/// engine and gossip, then the reconcile loop until shutdown. On shutdown (SIGTERM) the order
/// is what makes a handover fast: leave the gossip group first, so the next node takes the IPs
/// at once; stop answering ARP/NDP; then stop BGP, with a Cease, or silently when graceful
/// restart is on so routers keep the routes while we are away.
/// </summary>
public sealed partial class SpeakerRuntime
{
    /// <summary>Readiness conditions this runtime declares.</summary>
    public const string CachesSynced = "caches-synced";

    private static readonly TimeSpan CacheWaitReport = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(1);

    private readonly KubeClient _client;
    private readonly SpeakerOptions _options;
    private readonly IMeterFactory? _meters;
    private readonly ReadinessGate _readiness;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly TimeProvider _time = TimeProvider.System;

    public SpeakerRuntime(KubeClient client, SpeakerOptions options, IMeterFactory? meters, ReadinessGate readiness, ILoggerFactory logs)
    {
        _client = client;
        _options = options;
        _meters = meters;
        _readiness = readiness;
        _logs = logs;
        _log = logs.CreateLogger("speaker");
        _readiness.Require(CachesSynced);
    }

    public async Task RunAsync(IReadOnlyList<string> warnings, CancellationToken ct)
    {
        foreach (string w in warnings)
            LogIgnoredFlag(w);
        await using var group = new InformerGroup(_time);
        var caches = SpeakerCaches.Create(_client, _options, group, _time, _logs.CreateLogger("speaker.informer"));
        group.Start(ct);
        try
        {
            await group.WaitForSyncAsync(LogCacheWaiting, CacheWaitReport, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        _readiness.Set(CachesSynced, true);
        LogSynced(_options.NodeName, caches.Services.Cache.Count, caches.Nodes.Cache.Count);

        using var metrics = new SpeakerMetrics(_meters);
        using var layer2 = new Layer2Announcer(new Layer2Options { ExcludeInterfaces = LoadExcludeList() },
            metrics: new Layer2Metrics(_meters), logger: _logs.CreateLogger<Layer2Announcer>());
        layer2.Start();
        var bgp = new BgpSpeaker(new BgpSpeakerOptions { Restarting = true }, _time, _meters, _logs.CreateLogger<BgpSpeaker>());
        var bgpSink = new BgpSink(bgp, _logs.CreateLogger("speaker.bgp"), BgpSink.BfdFactory(_meters, _logs.CreateLogger<Bgp.Bfd.BfdEngine>()));
        using var recorder = new EventRecorder(new KubeEventSink(_client.Resource<Event>()), "metallb-speaker", _options.NodeName, _time);
        var events = new EventQueue(recorder);
        var status = new StatusWriter(_options, _client, caches.L2Statuses, caches.BgpStatuses,
            () => _options.PodName is { Length: > 0 } pod ? caches.Pods.Cache.Get($"{_options.MemberlistNamespace ?? _options.Namespace}/{pod}") : null,
            metrics, _logs.CreateLogger("speaker.status"), _time);
        SpeakerReconciler? reconciler = null;
        SpeakerMembership? membership = _options.MemberlistEnabled
            ? new SpeakerMembership(_options, caches.Pods, () => reconciler?.Signal(), _logs.CreateLogger("speaker.memberlist"), _time)
            : null;
        // metallb_gossip_* on /metrics, read from the member at scrape time (none while memberlist is off or not started).
        using var gossipMetrics = new GossipMetrics(() => membership?.Member is { } m ? [m.Memberlist] : [], _meters);
        reconciler = new SpeakerReconciler(_options, caches, () => membership?.LiveSpeakers(),
            new Layer2Sink(layer2, _logs.CreateLogger("speaker.layer2")), bgpSink, status, events, metrics, _logs.CreateLogger("speaker.reconciler"));
        Subscribe(caches, reconciler);
        if (membership is null)
            LogMemberlistDisabled();
        membership?.Start();
        try
        {
            await reconciler.RunAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _readiness.Set(CachesSynced, false);
            LogStopping();
            if (membership is not null)
                await membership.LeaveAsync(LeaveTimeout).ConfigureAwait(false);
            layer2.Dispose();
            await bgpSink.DisposeAsync().ConfigureAwait(false);   // BFD AdminDown first, so peers do not count it a failure
            bool graceful = reconciler.Config?.Peers.Any(p => p.EnableGracefulRestart) == true;
            await bgp.StopAsync(graceful).ConfigureAwait(false);
            await bgp.DisposeAsync().ConfigureAwait(false);
            await status.DisposeAsync().ConfigureAwait(false);
            await events.DisposeAsync().ConfigureAwait(false);
            if (membership is not null)
                await membership.DisposeAsync().ConfigureAwait(false);
            reconciler.Dispose();
            LogStopped(graceful);
        }
    }

    /// <summary>Which changes wake the loop, and which also re-parse the configuration.</summary>
    private static void Subscribe(SpeakerCaches c, SpeakerReconciler r)
    {
        c.Services.AddHandler(_ => r.Signal());
        c.Slices.AddHandler(_ => r.Signal());
        c.Nodes.AddHandler(_ => r.Signal(config: true));
        c.Namespaces.AddHandler(_ => r.Signal(config: true));
        c.Pools.AddHandler(_ => r.Signal(config: true));
        c.L2Advertisements.AddHandler(_ => r.Signal(config: true));
        c.BgpAdvertisements.AddHandler(_ => r.Signal(config: true));
        c.Peers.AddHandler(_ => r.Signal(config: true));
        c.Communities.AddHandler(_ => r.Signal(config: true));
        c.BfdProfiles.AddHandler(_ => r.Signal(config: true));
        c.Secrets.AddHandler(_ => r.Signal(config: true));
    }

    private IReadOnlyList<string> LoadExcludeList()
    {
        try
        {
            var patterns = ExcludeL2File.Load(_options.ExcludeL2Path);
            // Say which one was read: a missing file falls back to the built-in list silently.
            LogExcludeList(File.Exists(_options.ExcludeL2Path) ? _options.ExcludeL2Path : "the built-in list (no " + _options.ExcludeL2Path + ")",
                string.Join(' ', patterns));
            return patterns;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            LogExcludeListBad(e.Message);
            return ExcludeL2File.Published;
        }
    }

    [LoggerMessage(3501, LogLevel.Warning, "{Warning}")]
    private partial void LogIgnoredFlag(string warning);

    [LoggerMessage(3502, LogLevel.Warning, "still waiting to list {Resource}: {Reason}")]
    private partial void LogCacheWaiting(string resource, string reason);

    [LoggerMessage(3503, LogLevel.Information, "speaker for node {Node}: caches synced ({Services} services, {Nodes} nodes)")]
    private partial void LogSynced(string node, int services, int nodes);

    [LoggerMessage(3504, LogLevel.Information, "memberlist disabled (no --ml-bindaddr or --ml-labels): every node counts as a live speaker")]
    private partial void LogMemberlistDisabled();

    [LoggerMessage(3505, LogLevel.Information, "layer2 interfaces excluded (from {Path}): {Patterns}")]
    private partial void LogExcludeList(string path, string patterns);

    [LoggerMessage(3506, LogLevel.Error, "the excludel2 file is invalid, using the built-in list: {Reason}")]
    private partial void LogExcludeListBad(string reason);

    [LoggerMessage(3507, LogLevel.Information, "stopping: leaving gossip, releasing layer2, stopping BGP")]
    private partial void LogStopping();

    [LoggerMessage(3508, LogLevel.Information, "stopped (BGP graceful restart: {Graceful})")]
    private partial void LogStopped(bool graceful);
}
