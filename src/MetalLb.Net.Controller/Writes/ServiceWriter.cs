using System.Net;
using System.Threading.Channels;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Kube.Events;
using MetalLb.Net.Kube.Queue;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Writes;

/// <summary>
/// Carries the reconciler's decisions to the API server. Decisions are made one at a time, in
/// memory; their writes run <c>concurrency</c> at once, at most one per Service, and a newer
/// decision for a Service replaces one not yet written. A failed write is retried with backoff.
///
/// One ordering rule keeps every address single-owner in the API, not only in memory: a write
/// that gives a Service an address waits until every earlier decided write that takes an address
/// away has landed. Otherwise an address freed by one Service and handed to another could sit in
/// both statuses at once, and a restart at that moment would have to pick one.
/// </summary>
internal sealed partial class ServiceWriter : IAsyncDisposable
{
    private readonly ResourceClient<Service> _services;
    private readonly Func<string, Service?> _cached;
    private readonly EventRecorder _recorder;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly WorkQueue<string> _queue;
    private readonly Channel<(Service Object, ServiceEvent Event)> _events = Channel.CreateUnbounded<(Service, ServiceEvent)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly Task _eventPump;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Service> _written = new(StringComparer.Ordinal);
    private readonly SortedSet<(long Seq, string Key)> _releases = [];
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long? Generation, string Events)> _posted = new(StringComparer.Ordinal);
    private long _seq;

    public ServiceWriter(ResourceClient<Service> services, Func<string, Service?> cached, EventRecorder recorder,
        ControllerMetrics metrics, ILogger log, int concurrency, TimeProvider? time = null)
    {
        _services = services;
        _cached = cached;
        _recorder = recorder;
        _metrics = metrics;
        _log = log;
        _time = time ?? TimeProvider.System;
        // Per Service backoff only, capped at 10 s: after an outage every Service retries
        // within seconds, and the concurrency bound already keeps the retries gentle.
        _queue = new WorkQueue<string>(new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10)), _time);
        _workers = [.. Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(WorkAsync))];
        _eventPump = Task.Run(PumpEventsAsync);
    }

    /// <summary>Writes not yet landed (queued, in flight, waiting to retry or behind a release).</summary>
    public int Pending
    {
        get { lock (_gate) return _jobs.Count; }
    }

    /// <summary>Asks for <paramref name="service"/> to look like <paramref name="desired"/>; records the events once it does.</summary>
    public void Submit(Service service, ServiceState desired, IReadOnlyList<ServiceEvent> events)
    {
        string key = service.Key;
        lock (_gate)
        {
            // What the API holds, never the object passed in: the reconciler decides on a view
            // with pending writes overlaid (see Latest), which is not what the server has.
            ServiceState current = ServiceState.Of(ApiState(key, service));
            if (!_jobs.TryGetValue(key, out Job? job))
            {
                if (desired.Equals(current))
                {
                    Post(service, events);
                    return;
                }
                _jobs[key] = job = new Job();
            }
            // The write's basis is what the API holds, never the overlay Latest() hands the
            // reconciler while a write is pending: patched against that overlay, the pending IPs
            // and pool look written already, and only the condition would be sent.
            job.Service = ApiState(key, service);
            job.Desired = desired;
            job.Seq = ++_seq;
            job.Version++;
            // A decision repeated while its write is pending (a resync, our own status write
            // echoed back) repeats its events: one write tells each of them once.
            foreach (ServiceEvent e in events)
            {
                if (!job.Events.Contains(e))
                    job.Events.Add(e);
            }
            // A write that takes an address away is ordered by when it was first decided.
            if (job.ReleaseSeq is null && current.IPs.Except(desired.IPs).Any())
            {
                job.ReleaseSeq = job.Seq;
                _releases.Add((job.Seq, key));
            }
            LogSubmitted(key, job.Seq, string.Join(",", current.IPs), string.Join(",", desired.IPs), job.ReleaseSeq);
        }
        _queue.Add(key);
    }

    /// <summary>The Service is gone: forget what we wrote to it. A pending write finds it gone (404) and ends.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            _written.Remove(key);
            _posted.Remove(key);
        }
    }

    /// <summary>Waits for pending writes to land, at most <paramref name="grace"/>, then stops the workers.</summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        long deadline = _time.GetTimestamp();
        while (Pending > 0 && _time.GetElapsedTime(deadline) < grace)
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _queue.ShutDown();
        _events.Writer.TryComplete();
        await Task.WhenAll([.. _workers, _eventPump]).ConfigureAwait(false);
        _queue.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        while (true)
        {
            var (key, shuttingDown) = await _queue.GetAsync().ConfigureAwait(false);
            if (shuttingDown || _stop.IsCancellationRequested)
                return;
            try
            {
                await WriteAsync(key).ConfigureAwait(false);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private async Task WriteAsync(string key)
    {
        Service basis;
        ServiceState target;
        int version;
        bool releaseOnly = false;
        lock (_gate)
        {
            if (!_jobs.TryGetValue(key, out Job? job))
                return;
            basis = ApiState(key, job.Service);
            target = job.Desired;
            version = job.Version;
            if (BlockedLocked(key, job, basis))
            {
                // It gives out an address that an earlier decision takes from someone else, and
                // that write has not landed. A job that also takes addresses away lands that part
                // now, so two such jobs never wait for each other.
                if (job.ReleaseSeq is null)
                {
                    LogBlocked(key, job.Seq);
                    _blocked.Add(key);
                    return;
                }
                target = ReleaseOnly(basis, job.Desired);
                releaseOnly = true;
            }
        }
        Service? result;
        try
        {
            LogWriting(key, string.Join(",", ServiceState.Of(basis).IPs), string.Join(",", target.IPs), releaseOnly ? " (release only)" : "");
            result = await ApplyAsync(basis, target, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _metrics.WriteError();
            LogWriteFailed(key, e.Message);
            _queue.AddRateLimited(key);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _queue.Forget(key);
        if (releaseOnly && result is not null)
            ReleaseLanded(key, result);
        else
            Complete(key, version, result ?? basis, gone: result is null);
    }

    /// <summary>Status first, then the annotation: an address is held by the status, so it is written first and cleared first.</summary>
    private async Task<Service?> ApplyAsync(Service basis, ServiceState desired, CancellationToken ct)
    {
        ServiceState current = ServiceState.Of(basis);
        string ns = basis.Metadata.Namespace ?? "default", name = basis.Metadata.Name ?? "";
        Service result = basis;
        try
        {
            if (!desired.StatusEquals(current))
            {
                _metrics.Write();
                result = await _services.PatchAsync(ns, name, PatchType.StrategicMerge,
                    ServicePatches.Status(basis, desired, _time.GetUtcNow()), subresource: "status", ct: ct).ConfigureAwait(false);
            }
            if (desired.Pool != current.Pool)
            {
                _metrics.Write();
                result = await _services.PatchAsync(ns, name, PatchType.Merge, ServicePatches.Annotation(desired.Pool), ct: ct).ConfigureAwait(false);
            }
            return result;
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "submit {Key} #{Seq}: [{Current}] -> [{Desired}], release #{ReleaseSeq}")]
    private partial void LogSubmitted(string key, long seq, string current, string desired, long? releaseSeq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "write {Key}: [{Current}] -> [{Target}]{ReleaseOnly}")]
    private partial void LogWriting(string key, string current, string target, string releaseOnly);

    [LoggerMessage(Level = LogLevel.Debug, Message = "write {Key} #{Seq} waits for an earlier release")]
    private partial void LogBlocked(string key, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "writing service {Key} failed, will retry: {Error}")]
    private partial void LogWriteFailed(string key, string error);

    private sealed class Job
    {
        public Service Service { get; set; } = null!;
        public ServiceState Desired { get; set; } = null!;
        public long Seq { get; set; }
        public long? ReleaseSeq { get; set; }
        public int Version { get; set; }
        public List<ServiceEvent> Events { get; } = [];
    }
}
