namespace MetalLb.Net.Kube.Queue;

/// <summary>
/// A de-duplicating, rate-limited work queue with client-go's guarantees:
/// <list type="bullet">
/// <item>a key is queued at most once however often it is added;</item>
/// <item>a key is never handed to two workers at once: added while being processed, it is
/// queued again only when <see cref="Done"/> is called;</item>
/// <item><see cref="AddRateLimited"/> delays a retry by the rate limiter; <see cref="Forget"/>
/// resets it after success;</item>
/// <item>after <see cref="ShutDown"/>, new adds are ignored and workers drain what is left.</item>
/// </list>
/// Delays run on the given TimeProvider, so tests drive them with a fake clock.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, (DateTimeOffset ReadyAt, ITimer Timer)> _waiting = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeProvider _time;
    private readonly IRateLimiter<TKey> _limiter;

    public WorkQueue(IRateLimiter<TKey>? limiter = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _limiter = limiter ?? RateLimiters.Default<TKey>(_time);
    }

    /// <summary>Keys queued and not yet taken (delayed keys are not counted).</summary>
    public int Count
    {
        get { lock (_gate) return _queue.Count; }
    }

    public bool IsShuttingDown => _shutdown.IsCancellationRequested;

    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (IsShuttingDown || !_dirty.Add(key))
                return;
            if (_processing.Contains(key))
                return;   // Done() queues it again
            _queue.Enqueue(key);
        }
        _available.Release();
    }

    /// <summary>Adds after a delay; of several pending delays for one key the earliest wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_gate)
        {
            if (IsShuttingDown)
                return;
            DateTimeOffset readyAt = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.ReadyAt <= readyAt)
                    return;
                pending.Timer.Dispose();
            }
            ITimer timer = _time.CreateTimer(_ => Fire(key, readyAt), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (readyAt, timer);
        }
    }

    /// <summary>Retry later, by how often this key has failed and the overall rate.</summary>
    public void AddRateLimited(TKey key) => AddAfter(key, _limiter.When(key));

    /// <summary>The key was handled successfully: its backoff starts over.</summary>
    public void Forget(TKey key) => _limiter.Forget(key);

    public int NumRequeues(TKey key) => _limiter.NumRequeues(key);

    /// <summary>
    /// The next key to work on, waiting until there is one. Returns (default, true) once the
    /// queue is shut down and drained. Call <see cref="Done"/> when finished with the key.
    /// </summary>
    public async Task<(TKey Key, bool ShuttingDown)> GetAsync(CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _shutdown.Token);
        try
        {
            await _available.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (IsShuttingDown && !ct.IsCancellationRequested)
        {
            // Shutting down: still hand out what is queued, then report the end.
        }
        lock (_gate)
        {
            if (!_queue.TryDequeue(out TKey? key))
                return (default!, true);
            _processing.Add(key);
            _dirty.Remove(key);
            return (key, false);
        }
    }

    /// <summary>Finished with a key from <see cref="GetAsync"/>; if it was added meanwhile, it is queued now.</summary>
    public void Done(TKey key)
    {
        bool requeued = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                _queue.Enqueue(key);
                requeued = true;
            }
        }
        if (requeued)
            _available.Release();
    }

    /// <summary>Stop taking new keys; waiting workers drain the queue and then see ShuttingDown.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            foreach (var pending in _waiting.Values)
                pending.Timer.Dispose();
            _waiting.Clear();
        }
        _shutdown.Cancel();
    }

    private void Fire(TKey key, DateTimeOffset readyAt)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(key, out var pending) || pending.ReadyAt != readyAt)
                return;
            _waiting.Remove(key);
            pending.Timer.Dispose();
        }
        Add(key);
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
        _shutdown.Dispose();
    }
}
