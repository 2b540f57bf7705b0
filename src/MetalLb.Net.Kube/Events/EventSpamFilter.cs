namespace MetalLb.Net.Kube.Events;

/// <summary>
/// A token bucket per involved object, as client-go's EventSourceObjectSpamFilter: a burst of
/// <see cref="Burst"/> events, then one more every <see cref="Refill"/>. Aggregation folds
/// identical events into a count, but every fold is still an API write; this bounds the writes a
/// Service stuck in a retry loop can cause, whatever its messages.
/// </summary>
public sealed class EventSpamFilter(TimeProvider time, int burst = EventSpamFilter.DefaultBurst, TimeSpan? refill = null)
{
    public const int DefaultBurst = 25;
    public static readonly TimeSpan DefaultRefill = TimeSpan.FromMinutes(5);

    // Buckets of objects not heard from for a long while are dropped, so the table stays small.
    private const int PruneAbove = 4096;

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int Burst { get; } = burst;

    public TimeSpan Refill { get; } = refill ?? DefaultRefill;

    /// <summary>Takes a token for <paramref name="objectKey"/>; false when its bucket is empty.</summary>
    public bool Allow(string objectKey)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (!_buckets.TryGetValue(objectKey, out Bucket? b))
        {
            if (_buckets.Count >= PruneAbove)
                Prune(now);
            _buckets[objectKey] = b = new Bucket(Burst, now);
        }
        long earned = (long)((now - b.Stamp) / Refill);
        if (earned > 0)
        {
            b.Tokens = (int)Math.Min(Burst, b.Tokens + earned);
            b.Stamp += Refill * earned;
        }
        if (b.Tokens == 0)
            return false;
        b.Tokens--;
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        // A bucket refilled to the brim is the same as no bucket.
        foreach (var (key, b) in _buckets.ToList())
            if (b.Tokens + (now - b.Stamp) / Refill >= Burst)
                _buckets.Remove(key);
    }

    private sealed class Bucket(int tokens, DateTimeOffset stamp)
    {
        public int Tokens { get; set; } = tokens;
        public DateTimeOffset Stamp { get; set; } = stamp;
    }
}
