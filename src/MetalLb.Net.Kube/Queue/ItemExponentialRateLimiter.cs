namespace MetalLb.Net.Kube.Queue;

/// <summary>
/// Per-item exponential backoff: base * 2^failures, capped. With client-go's defaults
/// (5 ms base, 1000 s cap) a key that keeps failing is retried after 5 ms, 10 ms, 20 ms, ...
/// and about 17 minutes at most, while other keys are unaffected.
/// </summary>
public sealed class ItemExponentialRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, int> _failures = [];

    public ItemExponentialRateLimiter() : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)) { }

    public TimeSpan When(TKey key)
    {
        lock (_gate)
        {
            int exponent = _failures.GetValueOrDefault(key);
            _failures[key] = exponent + 1;
            // Past 2^62 the product overflows; by then the cap applies anyway.
            if (exponent >= 62)
                return maxDelay;
            double ticks = baseDelay.Ticks * Math.Pow(2, exponent);
            return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
        }
    }

    public void Forget(TKey key)
    {
        lock (_gate)
            _failures.Remove(key);
    }

    public int NumRequeues(TKey key)
    {
        lock (_gate)
            return _failures.GetValueOrDefault(key);
    }
}
