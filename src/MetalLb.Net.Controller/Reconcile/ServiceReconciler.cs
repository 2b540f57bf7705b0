using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Controller.Writes;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Queue;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Reconcile;

/// <summary>
/// The leader's decision loop: one work item at a time against one <see cref="Allocator"/>, as
/// upstream's controller does, so decisions need no locks. A Service key reconciles that
/// Service; <see cref="ConfigKey"/> reloads pools and then reconciles everything, services
/// already holding addresses first so they keep them; <see cref="ResyncKey"/> reconciles
/// everything (after an address was freed, so pending Services can take it). Writes leave
/// through the <see cref="ServiceWriter"/>; Core makes every decision.
/// </summary>
internal sealed partial class ServiceReconciler
{
    public const string ConfigKey = "\u0000config";
    public const string ResyncKey = "\u0000resync";

    private readonly ControllerOptions _options;
    private readonly Informer<Service> _services;
    private readonly Informer<IPAddressPool> _pools;
    private readonly Informer<Community> _communities;
    private readonly Informer<Namespace> _namespaces;
    private readonly ServiceWriter _writer;
    private readonly StatusReporter _reporter;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _log;
    private readonly Allocator _allocator = new();
    private bool _loaded;

    public ServiceReconciler(ControllerOptions options, Informer<Service> services, Informer<IPAddressPool> pools,
        Informer<Community> communities, Informer<Namespace> namespaces, ServiceWriter writer, StatusReporter reporter,
        ControllerMetrics metrics, ILogger log)
    {
        _options = options;
        _services = services;
        _pools = pools;
        _communities = communities;
        _namespaces = namespaces;
        _writer = writer;
        _reporter = reporter;
        _metrics = metrics;
        _log = log;
    }

    /// <summary>Runs until cancelled. The informers must have synced: nothing is decided on a partial view.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var queue = new WorkQueue<string>();
        using var s = _services.AddHandler(c => queue.Add(c.Key));
        // Our own pool status writes come back as pool changes: they reload nothing (a reload
        // is a full pass), but if someone else wrote the counts the reporter puts ours back (it
        // writes only when they differ, so our own end here). Only a spec change (a new
        // generation) or a namespace's labels can change the configuration.
        using var p = _pools.AddHandler(c =>
        {
            if (StatusOnly(c))
                _reporter.PoolsChanged(_metrics.PoolUsage);
            else
                queue.Add(ConfigKey);
        });
        using var c = _communities.AddHandler(c => { if (!StatusOnly(c)) queue.Add(ConfigKey); });
        using var n = _namespaces.AddHandler(c => { if (LabelsChanged(c)) queue.Add(ConfigKey); });
        using var stop = ct.Register(queue.ShutDown);
        queue.Add(ConfigKey);
        while (true)
        {
            var (key, shuttingDown) = await queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shuttingDown || ct.IsCancellationRequested)
                return;
            try
            {
                bool freed = Handle(key);
                if (key != ResyncKey)
                    queue.Forget(key);
                // A full pass that frees something goes round again, with growing pauses, so
                // a Service that could flip forever cannot spin the loop.
                if (freed && key is ResyncKey or ConfigKey)
                    queue.AddRateLimited(ResyncKey);
                else if (freed)
                    queue.Add(ResyncKey);
                else if (key is ResyncKey)
                    queue.Forget(ResyncKey);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _metrics.UpdateError();
                LogReconcileFailed(e, key);
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
            _metrics.PublishPools(Usage());
            _reporter.PoolsChanged(_metrics.PoolUsage);
        }
    }

    private static bool LabelsChanged(InformerChange<Namespace> c) =>
        c.Type != Kube.Watch.WatchEventType.Modified
        || !(c.Old?.Metadata.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal)
            .SequenceEqual((c.New?.Metadata.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal));

    /// <summary>Handles one work item; true when an address was freed and pending Services should retry.</summary>
    private bool Handle(string key)
    {
        if (key == ConfigKey)
            return LoadConfig();
        // Nothing is decided until a configuration was loaded once (upstream does the same).
        if (!_loaded)
            return false;
        if (key == ResyncKey)
            return ReconcileAll();
        return Reconcile(key, _services.Cache.Get(key));
    }

    private bool LoadConfig()
    {
        var loaded = ConfigLoader.Load(_pools.Cache.List(), _communities.Cache.List(), _namespaces.Cache.List(), _options.Mode);
        _metrics.Update();
        _reporter.ConfigChanged(loaded.Errors);
        if (!loaded.IsValid)
        {
            // Keep deciding with the last valid pools; the errors go to the ConfigurationState.
            _metrics.UpdateError();
            _metrics.ConfigLoaded(stale: true);
            LogConfigInvalid(loaded.Errors.Count, string.Join("; ", loaded.Errors));
            return false;
        }
        _metrics.ConfigLoaded(stale: false);
        _allocator.SetPools(loaded.Pools!);
        _loaded = true;
        LogConfigLoaded(loaded.Pools!.Count);
        return ReconcileAll();
    }

    /// <summary>
    /// Every Service, those holding more addresses first so a restart or a pool change restores
    /// them before anyone could be given them (docs/upstream-behaviour.md#configuration-changes).
    /// </summary>
    private bool ReconcileAll()
    {
        var services = _services.Cache.List();
        var present = services.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        bool freed = false;
        foreach (string gone in _known.Where(k => !present.Contains(k)).ToList())
            freed |= Reconcile(gone, null);
        foreach (var service in services
                     .OrderByDescending(s => ServiceState.Of(_writer.Latest(s.Key) ?? s).IPs.Count)
                     .ThenBy(s => s.Key, StringComparer.Ordinal))
            freed |= Reconcile(service.Key, _writer.Latest(service.Key) ?? service);
        // Services earlier in this pass did not see what later ones freed: go round once more.
        return freed;
    }

    // Services we have reconciled and not yet seen deleted, to notice deletions missed while not leading.
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private bool Reconcile(string key, Service? service)
    {
        Allocator.Allocation? before = _allocator.Get(key);
        if (service is null)
        {
            _known.Remove(key);
            _writer.Forget(key);
            _allocator.Release(key);
            return before is not null;
        }
        _known.Add(key);
        _metrics.Update();
        service = _writer.Latest(key) ?? service;
        ServiceOutcome outcome = ServiceConverger.Converge(_allocator, service, _options.LoadBalancerClass);
        if (outcome.Ignored)
        {
            // Another controller's class: not ours to write, and its addresses are not ours to hold.
            _allocator.Release(key);
            return before is not null;
        }
        if (!outcome.HasIPs && outcome.Error is { } error && IsFailure(error.Reason))
            _metrics.UpdateError();
        _writer.Submit(service, ServiceState.From(service, outcome), outcome.Events);
        return Freed(before, _allocator.Get(key));
    }

    /// <summary>
    /// A change that touches nothing the configuration is made of: our own pool status write
    /// (assigned/available counts) comes back as a MODIFIED pool, and reloading on it resynced
    /// every Service (with 1,000 Services arriving, on each status write). Spec changes move
    /// metadata.generation; labels, annotations and deletion are compared as well.
    /// </summary>
    private static bool StatusOnly<T>(InformerChange<T> c) where T : Api.Meta.KubeObject =>
        c is { Type: Kube.Watch.WatchEventType.Modified, Old: { } o, New: { } n }
        && o.Metadata.Generation is { } g && g == n.Metadata.Generation
        && o.Metadata.DeletionTimestamp == n.Metadata.DeletionTimestamp
        && SameMap(o.Metadata.Labels, n.Metadata.Labels)
        && SameMap(o.Metadata.Annotations, n.Metadata.Annotations);

    private static bool SameMap(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out string? v) && v == kv.Value));

    /// <summary>An address left this Service, or its sharing terms changed: others may now fit.</summary>
    private static bool Freed(Allocator.Allocation? before, Allocator.Allocation? after)
    {
        if (before is null)
            return false;
        if (after is null)
            return true;
        return before.IPs.Except(after.IPs).Any()
               || before.Service.SharingKey != after.Service.SharingKey
               || before.Service.BackendKey != after.Service.BackendKey
               || !before.Service.Ports.SequenceEqual(after.Service.Ports);
    }

    private static bool IsFailure(PendingReason reason) =>
        reason is not (PendingReason.NotLoadBalancer or PendingReason.LoadBalancerClassNotOurs or PendingReason.NoClusterIPs);

    private IReadOnlyList<PoolUsage> Usage() => _allocator.PoolNames.Order(StringComparer.Ordinal).Select(_allocator.Usage).ToList();

    [LoggerMessage(Level = LogLevel.Error, Message = "reconciling {Key} failed, will retry")]
    private partial void LogReconcileFailed(Exception e, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "configuration invalid, keeping the last valid one ({Count} errors): {Errors}")]
    private partial void LogConfigInvalid(int count, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "configuration loaded: {Pools} address pools")]
    private partial void LogConfigLoaded(int pools);
}
