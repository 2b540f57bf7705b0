using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Queue;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Watch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Kube.Informers;

/// <summary>
/// List + watch into an indexed cache (client-go's shared informer, one consumer loop):
/// <see cref="RunAsync"/> keeps the cache equal to the server through reconnects and 410s;
/// <see cref="ReadyAsync"/> completes after the first full list; handlers see each change
/// after the cache has it, so a handler that reads the cache sees at least that change.
/// </summary>
public sealed class Informer<T> where T : KubeObject
{
    private readonly ResilientWatch<T> _watch;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _handlersGate = new();
    private Action<InformerChange<T>>[] _handlers = [];
    private int _handlerFailures;
    private readonly ILogger _logger;

    /// <param name="logger">Handler exceptions, relists and 410s are logged here; nothing is logged when null.</param>
    public Informer(ResourceClient<T> client, string? ns = null, ResilientWatchOptions? options = null, TimeProvider? time = null,
        ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _watch = new ResilientWatch<T>(client, ns, options, time, _logger);
    }

    public ObjectCache<T> Cache { get; } = new();

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>The resourceVersion the cache reflects (last event, bookmark or list).</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>Relists after the first (410 Gone), for tests and metrics.</summary>
    public int Relists => _watch.Relists;

    /// <summary>Watch connections opened, for tests and metrics.</summary>
    public int Connections => _watch.Connections;

    /// <summary>Events received on watch connections, bookmarks included, for tests and metrics.</summary>
    public long WatchEvents => _watch.WatchEvents;

    /// <summary>
    /// Raised after the cache holds a whole list: the first one, and each relist after a 410.
    /// Between a relist's first change and this, handlers see the cache moving from the old
    /// state to the new one object by object, not a state the server ever had.
    /// </summary>
    public event Action? Synced;

    /// <summary>Why the last list failed, null after a successful one (see ResilientWatch.LastListError).</summary>
    public Exception? LastListError => _watch.LastListError;

    /// <summary>Handler calls that threw; the informer carries on regardless.</summary>
    public int HandlerFailures => Volatile.Read(ref _handlerFailures);

    /// <summary>Completes once the cache holds the whole first list.</summary>
    public Task ReadyAsync(CancellationToken ct = default) => _ready.Task.WaitAsync(ct);

    /// <summary>Calls <paramref name="handler"/> for every change from now on (initial list included if not run yet).</summary>
    public IDisposable AddHandler(Action<InformerChange<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_handlersGate)
            _handlers = [.. _handlers, handler];
        return new Subscription(() =>
        {
            lock (_handlersGate)
                _handlers = [.. _handlers.Where(h => h != handler)];
        });
    }

    /// <summary>Feeds the key of every changed object into a work queue (which de-duplicates).</summary>
    public IDisposable EnqueueTo(WorkQueue<string> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return AddHandler(change => queue.Add(change.Key));
    }

    /// <summary>Runs until cancelled; the cache stays valid to read after it returns.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (WatchEvent<T> e in _watch.RunAsync(ct).ConfigureAwait(false))
                Apply(e);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _ready.TrySetCanceled(ct);
        }
        catch (Exception e)
        {
            // Not a transient failure (those are retried inside the watch): waiters must not hang.
            _ready.TrySetException(e);
            throw;
        }
    }

    private void Apply(WatchEvent<T> e)
    {
        switch (e.Type)
        {
            case WatchEventType.Added or WatchEventType.Modified when e.Object is { } obj:
                T? old = Cache.Upsert(obj);
                Notify(new InformerChange<T>(old is null ? WatchEventType.Added : WatchEventType.Modified, old, obj));
                break;
            case WatchEventType.Deleted when e.Object is { } gone:
                T? removed = Cache.Remove(gone.Key);
                Notify(new InformerChange<T>(WatchEventType.Deleted, removed ?? gone, null));
                break;
            case WatchEventType.Synced:
                _ready.TrySetResult();
                Synced?.Invoke();
                break;
        }
        if (e.ResourceVersion is { Length: > 0 } rv)
            LastResourceVersion = rv;
    }

    private void Notify(InformerChange<T> change)
    {
        foreach (Action<InformerChange<T>> handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(change);
            }
            catch (Exception e)
            {
                // One faulty handler must not stop the cache from following the server; it is
                // counted and logged, so the failure is not silent.
                Interlocked.Increment(ref _handlerFailures);
                Log.HandlerFailed(_logger, typeof(T).Name, change.Key, change.Type.ToString(), e);
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
