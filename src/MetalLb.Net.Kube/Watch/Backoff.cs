namespace MetalLb.Net.Kube.Watch;

/// <summary>
/// Jittered exponential backoff: each step doubles (by <see cref="Factor"/>) up to
/// <see cref="Max"/>, and each delay is stretched by a random fraction up to <see cref="Jitter"/>
/// so that many clients cut off at once do not all come back in the same instant.
/// </summary>
public sealed class Backoff
{
    private readonly Random _random;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max, double factor = 2.0, double jitter = 1.0, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        Initial = initial;
        Max = max;
        Factor = factor;
        Jitter = jitter;
        _random = random ?? Random.Shared;
        _next = initial;
    }

    public TimeSpan Initial { get; }
    public TimeSpan Max { get; }
    public double Factor { get; }
    public double Jitter { get; }

    /// <summary>The delay to wait now; the following one will be longer.</summary>
    public TimeSpan Next()
    {
        TimeSpan delay = _next;
        _next = TimeSpan.FromTicks((long)Math.Min(Max.Ticks, _next.Ticks * Factor));
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * Jitter * _random.NextDouble()));
    }

    /// <summary>Back to the initial delay, after progress was made.</summary>
    public void Reset() => _next = Initial;
}
