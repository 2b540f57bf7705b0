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

    // The next size at which to prune. After a prune it is twice what is left: when most
    // buckets are still in use (10,000 Services each allocated within one refill period), a
    // prune at every new key would scan and copy the whole table each time, quadratic work
    // and garbage; doubling keeps the cost per Allow constant, and the table at most 2x its live size.
    private int _pruneAt = PruneAbove;

    /// <summary>Buckets held now, for tests.</summary>
    internal int Count => _buckets.Count;

    public int Burst { get; } = burst;

    public TimeSpan Refill { get; } = refill ?? DefaultRefill;

    /// <summary>Takes a token for <paramref name="objectKey"/>; false when its bucket is empty.</summary>
    public bool Allow(string objectKey)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (!_buckets.TryGetValue(objectKey, out Bucket? b))
        {
            if (_buckets.Count >= _pruneAt)
            {
                Prune(now);
                _pruneAt = Math.Max(PruneAbove, 2 * _buckets.Count);
            }
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
        // A bucket refilled to the brim is the same as no bucket. (Removing while enumerating a
        // Dictionary is allowed since .NET Core 3.0, so no copy of the table is needed.)
        foreach (var (key, b) in _buckets)
            if (b.Tokens + (now - b.Stamp) / Refill >= Burst)
                _buckets.Remove(key);
    }

    private sealed class Bucket(int tokens, DateTimeOffset stamp)
    {
        public int Tokens { get; set; } = tokens;
        public DateTimeOffset Stamp { get; set; } = stamp;
    }
}
