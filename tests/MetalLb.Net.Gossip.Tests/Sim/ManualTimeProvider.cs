namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// A manual clock for simulations: timers fire in due-time order (ties in creation order) only
/// while <see cref="Advance"/> moves time. A priority queue keeps thousands of in-flight packets
/// cheap; FakeTimeProvider scans its timer list on every step.
/// Single-threaded by design: call it from the test thread only.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly PriorityQueue<(ManualTimer Timer, long Generation), (long Due, long Order)> _queue = new();
    private long _now;
    private long _order;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now;

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(_now);

    public TimeSpan Elapsed => TimeSpan.FromTicks(_now);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        var target = _now + by.Ticks;
        while (_queue.TryPeek(out var entry, out var when) && when.Due <= target)
        {
            _queue.Dequeue();
            if (entry.Generation != entry.Timer.Generation)
                continue;   // changed or disposed since it was queued
            _now = Math.Max(_now, when.Due);
            entry.Timer.Fire();
        }
        _now = target;
    }

    /// <summary>Advances in steps until <paramref name="condition"/> holds or <paramref name="limit"/> of simulated time passes.</summary>
    public bool AdvanceUntil(Func<bool> condition, TimeSpan limit, TimeSpan? step = null)
    {
        var end = _now + limit.Ticks;
        var increment = step ?? TimeSpan.FromMilliseconds(10);
        while (!condition())
        {
            if (_now >= end)
                return false;
            Advance(increment);
        }
        return true;
    }

    private void Schedule(ManualTimer timer, long due) => _queue.Enqueue((timer, timer.Generation), (due, ++_order));

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public long Generation { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Generation++;
            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan)
                owner.Schedule(this, owner._now + Math.Max(0, dueTime.Ticks));
            return true;
        }

        public void Fire()
        {
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                owner.Schedule(this, owner._now + _period.Ticks);
            callback(state);
        }

        public void Dispose() => Generation++;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
