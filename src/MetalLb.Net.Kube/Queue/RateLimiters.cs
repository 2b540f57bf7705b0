namespace MetalLb.Net.Kube.Queue;

/// <summary>Ready-made limiters.</summary>
public static class RateLimiters
{
    /// <summary>
    /// client-go's DefaultControllerRateLimiter: the longer of per-item exponential backoff
    /// (5 ms base, 1000 s cap) and an overall token bucket (10 per second, burst 100).
    /// </summary>
    public static IRateLimiter<TKey> Default<TKey>(TimeProvider? time = null) where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(new ItemExponentialRateLimiter<TKey>(), new TokenBucketRateLimiter<TKey>(10, 100, time));
}
