using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Leader;

/// <summary>
/// A fake clock that knows which of its timers are armed, so a test can move time only when
/// every candidate has finished its work and is waiting on a timer, and then exactly to the
/// earliest due timer. Time never moves under running code, so the instants the tests read
/// (renew and acquire times) are the ones the rules give, not the rules plus a polling step.
/// </summary>
internal sealed class TimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Tracked> _armed = [];

    /// <summary>Timers due at a definite instant that have neither fired nor been disposed.</summary>
    public int Armed
    {
        get { lock (_gate) return _armed.Count; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new Tracked(this, callback, state);
        tracked.Arm(dueTime, period);
        tracked.Inner = base.CreateTimer(static s => ((Tracked)s!).Fire(), tracked, dueTime, period);
        return tracked;
    }

    /// <summary>
    /// Waits (in real time, with a deadline) until <paramref name="waiters"/> timers are armed:
    /// every live candidate parked. Then, while <paramref name="condition"/> does not hold,
    /// moves the clock to the next due timer and waits for the candidates to park again.
    /// </summary>
    public Task RunUntil(Func<int> waiters, Func<bool> condition, string what) =>
        Eventually.True(() =>
        {
            if (Armed != waiters())
                return false;   // someone is working: look again once it parks
            if (condition())
                return true;
            AdvanceToNextTimer();
            return false;
        }, what);

    private void AdvanceToNextTimer()
    {
        DateTimeOffset next;
        lock (_gate)
            next = _armed.Min(t => t.Due);
        if (next > GetUtcNow())
            SetUtcNow(next);
        else
            Advance(TimeSpan.Zero);   // already due: let it fire
    }

    private sealed class Tracked(TimerClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset Due { get; private set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock._armed.Remove(this);
                    return;
                }
                Due = clock.GetUtcNow() + dueTime;
                clock._armed.Add(this);
            }
        }

        // Unarmed before the callback runs, so the code it wakes counts as working until it
        // parks on its next timer.
        public void Fire()
        {
            lock (clock._gate)
            {
                if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
                    clock._armed.Remove(this);
                else
                    Due += _period;
            }
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (clock._gate)
                clock._armed.Remove(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
