namespace MetalLb.Net.Kube.Queue;

/// <summary>
/// The longest delay any of several limiters asks for. client-go's default controller limiter
/// is this over per-item exponential backoff and the overall token bucket.
/// </summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey> where TKey : notnull
{
    public TimeSpan When(TKey key)
    {
        TimeSpan longest = TimeSpan.Zero;
        foreach (IRateLimiter<TKey> limiter in limiters)
        {
            TimeSpan d = limiter.When(key);
            if (d > longest)
                longest = d;
        }
        return longest;
    }

    public void Forget(TKey key)
    {
        foreach (IRateLimiter<TKey> limiter in limiters)
            limiter.Forget(key);
    }

    public int NumRequeues(TKey key) => limiters.Max(l => l.NumRequeues(key));
}
