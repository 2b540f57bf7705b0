using System.Globalization;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Kube.Events;

/// <summary>
/// Records core/v1 Events about objects, folding repeats into one event with a count, as
/// client-go's event correlator does: the same object, type, reason and message within the
/// cache's memory update the existing event's count and lastTimestamp instead of adding
/// another. Failures to write are swallowed: an event is a hint, never worth failing a reconcile.
/// </summary>
public sealed class EventRecorder(IEventSink sink, string component, string? host = null, TimeProvider? time = null) : IDisposable
{
    /// <summary>How many distinct events are remembered for aggregation (client-go's LRU size).</summary>
    public const int CacheSize = 4096;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private EventSpamFilter? _spam;

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    /// <summary>
    /// Per-object budget (client-go's burst of 25, then one per 5 minutes). Events beyond it are
    /// dropped and counted in <see cref="Suppressed"/>.
    /// </summary>
    public EventSpamFilter SpamFilter
    {
        get => _spam ??= new EventSpamFilter(_time);
        init => _spam = value;
    }

    /// <summary>Events dropped by the spam filter.</summary>
    public int Suppressed { get; private set; }

    /// <summary>Events that could not be written.</summary>
    public int Failures { get; private set; }

    /// <summary>The last write failure, for diagnostics.</summary>
    public Exception? LastFailure { get; private set; }

    public async Task RecordAsync(KubeObject involved, string type, string reason, string message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        DateTimeOffset now = _time.GetUtcNow();
        ObjectMeta meta = involved.Metadata;
        string key = string.Join('\u0000', involved.Kind, meta.Namespace, meta.Name, meta.Uid, type, reason, message);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!SpamFilter.Allow(string.Join('\u0000', involved.Kind, meta.Namespace, meta.Name, meta.Uid)))
            {
                Suppressed++;
                return;
            }
            if (_seen.TryGetValue(key, out Seen? seen))
            {
                Event? updated = await sink.UpdateCountAsync(seen.Namespace, seen.Name, seen.Count + 1, now, ct).ConfigureAwait(false);
                if (updated is not null)
                {
                    seen.Count++;
                    return;
                }
                _seen.Remove(key);
            }
            Event created = await sink.CreateAsync(Build(involved, type, reason, message, now), ct).ConfigureAwait(false);
            Remember(key, new Seen(created.Metadata.Namespace ?? meta.Namespace ?? "default", created.Metadata.Name ?? "", created.Count ?? 1));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Failures++;
            LastFailure = e;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task NormalAsync(KubeObject involved, string reason, string message, CancellationToken ct = default) =>
        RecordAsync(involved, Normal, reason, message, ct);

    public Task WarningAsync(KubeObject involved, string reason, string message, CancellationToken ct = default) =>
        RecordAsync(involved, Warning, reason, message, ct);

    private Event Build(KubeObject involved, string type, string reason, string message, DateTimeOffset now)
    {
        ObjectMeta meta = involved.Metadata;
        // Same naming as client-go: the object's name and the time in hex nanoseconds, unique enough.
        long nanos = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        return new Event
        {
            Metadata = new ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{meta.Name}.{nanos:x}"),
                Namespace = string.IsNullOrEmpty(meta.Namespace) ? "default" : meta.Namespace,
            },
            InvolvedObject = new ObjectReference
            {
                ApiVersion = involved.ApiVersion,
                Kind = involved.Kind,
                Namespace = meta.Namespace,
                Name = meta.Name,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = type,
            Count = 1,
            // meta/v1 Time has whole seconds on the wire; say so here too, so that a later
            // lastTimestamp (also whole seconds) never sorts before firstTimestamp.
            FirstTimestamp = WholeSeconds(now),
            LastTimestamp = WholeSeconds(now),
            Source = new EventSource { Component = component, Host = host },
            ReportingComponent = component,
            ReportingInstance = host,
        };
    }

    public void Dispose() => _gate.Dispose();

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

    private void Remember(string key, Seen seen)
    {
        if (_seen.TryAdd(key, seen))
            _order.Enqueue(key);
        while (_seen.Count > CacheSize && _order.TryDequeue(out string? oldest))
            _seen.Remove(oldest);
    }

    private sealed class Seen(string ns, string name, int count)
    {
        public string Namespace { get; } = ns;
        public string Name { get; } = name;
        public int Count { get; set; } = count;
    }
}
