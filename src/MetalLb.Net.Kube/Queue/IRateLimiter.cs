namespace MetalLb.Net.Kube.Queue;

/// <summary>How long an item waits before it is retried (client-go's workqueue.RateLimiter).</summary>
public interface IRateLimiter<in TKey> where TKey : notnull
{
    /// <summary>The delay for this retry of <paramref name="key"/>; counts the retry.</summary>
    TimeSpan When(TKey key);

    /// <summary>The item succeeded: start its backoff over.</summary>
    void Forget(TKey key);

    /// <summary>How many retries are counted for <paramref name="key"/>.</summary>
    int NumRequeues(TKey key);
}
