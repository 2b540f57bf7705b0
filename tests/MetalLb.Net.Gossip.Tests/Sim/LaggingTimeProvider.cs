namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// The simulator's clock as a starved process sees it: every timer fires <paramref name="lag"/>
/// later than asked, as when the thread pool has no CPU to run the callback.
/// </summary>
public sealed class LaggingTimeProvider(ManualTimeProvider inner, TimeSpan lag) : TimeProvider
{
    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new LaggingTimer(inner.CreateTimer(callback, state, Late(dueTime), period), lag);

    private TimeSpan Late(TimeSpan due) => due == Timeout.InfiniteTimeSpan ? due : due + lag;

    private sealed class LaggingTimer(ITimer timer, TimeSpan lag) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) =>
            timer.Change(dueTime == Timeout.InfiniteTimeSpan ? dueTime : dueTime + lag, period);

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
