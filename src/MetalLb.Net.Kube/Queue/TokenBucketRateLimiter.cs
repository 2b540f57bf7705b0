namespace MetalLb.Net.Kube.Queue;

/// <summary>
/// An overall token bucket (client-go's BucketRateLimiter: 10 per second, burst 100): each
/// retry takes a token, and when none is left it waits until one will have refilled.
/// Taking the token at reservation time means delays queue up fairly behind each other.
/// </summary>
public sealed class TokenBucketRateLimiter<TKey> : IRateLimiter<TKey> where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly int _burst;
    private double _tokens;
    private long _last;

    public TokenBucketRateLimiter(double perSecond = 10, int burst = 100, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _time = time ?? TimeProvider.System;
        _perSecond = perSecond;
        _burst = burst;
        _tokens = burst;
        _last = _time.GetTimestamp();
    }

    public TimeSpan When(TKey key)
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
        }
    }

    public void Forget(TKey key) { }

    public int NumRequeues(TKey key) => 0;
}
