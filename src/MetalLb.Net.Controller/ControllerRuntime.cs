using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Controller.Writes;
using MetalLb.Net.Hosting;
using MetalLb.Net.Kube.Events;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Leader;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Controller;

/// <summary>
/// The controller process minus its HTTP endpoints: informers on Services, Namespaces, and the
/// IPAddressPools and Communities of our namespace, kept warm on every replica; leader election
/// on a Lease; and, while leading, the reconciler with its writers. A replica that loses the
/// Lease stops writing at once and campaigns again with a fresh allocator, rebuilt from the
/// Services' statuses, so leadership changes never move an address.
/// </summary>
public sealed partial class ControllerRuntime
{
    /// <summary>Readiness conditions this runtime declares.</summary>
    public const string CachesSynced = "caches-synced";

    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CacheWaitReport = TimeSpan.FromSeconds(10);

    private readonly KubeClient _client;
    private readonly ControllerOptions _options;
    private readonly ControllerMetrics _metrics;
    private readonly ReadinessGate _readiness;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private volatile bool _leading;

    public ControllerRuntime(KubeClient client, ControllerOptions options, ControllerMetrics? metrics = null,
        ReadinessGate? readiness = null, ILoggerFactory? logs = null, TimeProvider? time = null)
    {
        _client = client;
        _options = options;
        _metrics = metrics ?? new ControllerMetrics();
        _readiness = readiness ?? new ReadinessGate();
        _logs = logs ?? NullLoggerFactory.Instance;
        _log = _logs.CreateLogger("controller");
        _time = time ?? TimeProvider.System;
        _readiness.Require(CachesSynced);
    }

    public ControllerMetrics Metrics => _metrics;

    /// <summary>True while this replica holds the Lease and writes.</summary>
    public bool IsLeading => _leading;

    /// <summary>Runs until cancelled; on cancellation pending writes get a few seconds to land and the Lease is released.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await using var group = new InformerGroup(_time);
        var informerLog = _logs.CreateLogger("controller.informer");
        var services = group.Add(new Informer<Service>(_client.Resource<Service>(), time: _time, logger: informerLog), "services");
        var namespaces = group.Add(new Informer<Namespace>(_client.Resource<Namespace>(), time: _time, logger: informerLog), "namespaces");
        var pools = group.Add(new Informer<IPAddressPool>(_client.Resource<IPAddressPool>(), _options.Namespace, time: _time, logger: informerLog), "ipaddresspools.metallb.io");
        var communities = group.Add(new Informer<Community>(_client.Resource<Community>(), _options.Namespace, time: _time, logger: informerLog), "communities.metallb.io");
        group.Start(ct);
        try
        {
            await group.WaitForSyncAsync(LogCacheWaiting, CacheWaitReport, ct).ConfigureAwait(false);
            _readiness.Set(CachesSynced, true);
            LogSynced(services.Cache.Count, pools.Cache.Count);
            var informers = new Informers(services, pools, communities, namespaces);
            if (!_options.LeaderElect)
            {
                await LeadAsync(informers, ct, ct).ConfigureAwait(false);
                return;
            }
            var store = new KubeLeaseStore(_client.Resource<Lease>(), _options.Namespace, _options.LeaseName);
            while (!ct.IsCancellationRequested)
            {
                var elector = new LeaderElector(store, new LeaderElectionOptions
                {
                    LeaseName = _options.LeaseName,
                    Namespace = _options.Namespace,
                    Identity = _options.Identity,
                    LeaseDuration = _options.LeaseDuration,
                    RenewDeadline = _options.RenewDeadline,
                    RetryPeriod = _options.RetryPeriod,
                }, _time, _logs.CreateLogger("controller.leader"));   // so a Lease RBAC refuses is a Warning the user sees
                await elector.RunAsync(leading => LeadAsync(informers, leading, ct), ct).ConfigureAwait(false);
                if (!ct.IsCancellationRequested)
                    LogLostLease(_options.Identity);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _readiness.Set(CachesSynced, false);
        }
    }

    private sealed record Informers(Informer<Service> Services, Informer<IPAddressPool> Pools,
        Informer<Community> Communities, Informer<Namespace> Namespaces);

    private async Task LeadAsync(Informers informers, CancellationToken leading, CancellationToken shutdown)
    {
        _leading = true;
        LogLeading(_options.Identity);
        var serviceClient = _client.Resource<Service>();
        using var recorder = new EventRecorder(new KubeEventSink(_client.Resource<Event>()), "metallb-controller", _options.Identity, _time);
        var writer = new ServiceWriter(serviceClient, informers.Services.Cache.Get, recorder, _metrics,
            _logs.CreateLogger("controller.writer"), _options.WriteConcurrency, _time);
        var reporter = new StatusReporter(_client.Resource<IPAddressPool>(), _client.Resource<ConfigurationState>(),
            informers.Pools, _options, _metrics, _logs.CreateLogger("controller.status"), _time);
        var reconciler = new ServiceReconciler(_options, informers.Services, informers.Pools, informers.Communities,
            informers.Namespaces, writer, reporter, _metrics, _logs.CreateLogger("controller.reconciler"));
        try
        {
            await reconciler.RunAsync(leading).ConfigureAwait(false);
        }
        finally
        {
            _leading = false;
            // Shutting down, pending writes may land before the Lease is released. A lost Lease
            // stops writing at once: another replica may be leading already.
            await writer.DrainAsync(shutdown.IsCancellationRequested ? DrainGrace : TimeSpan.Zero).ConfigureAwait(false);
            await reporter.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "caches synced: {Services} services, {Pools} address pools")]
    private partial void LogSynced(int services, int pools);

    [LoggerMessage(Level = LogLevel.Warning, Message = "still waiting to list {Resource}: {Reason}")]
    private partial void LogCacheWaiting(string resource, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is leading")]
    private partial void LogLeading(string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost the lease; campaigning again")]
    private partial void LogLostLease(string identity);
}
