using MetalLb.Net.Kube.Queue;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Queue;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _clock = new();

    private WorkQueue<string> NewQueue() => new(RateLimiters.Default<string>(_clock), _clock);

    private static async Task<string> Take(WorkQueue<string> queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (key, down) = await queue.GetAsync(timeout.Token);
        Assert.False(down);
        return key;
    }

    [Fact]
    public async Task A_key_added_many_times_is_queued_once()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await Take(queue));
        Assert.Equal("b", await Take(queue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_processing_comes_back_only_after_Done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        string key = await Take(queue);
        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Count);   // never to two workers at once
        queue.Done(key);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await Take(queue));
        queue.Done("a");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_waiting_worker_wakes_when_a_key_arrives()
    {
        using var queue = NewQueue();
        Task<string> taking = Take(queue);
        Assert.False(taking.IsCompleted);
        queue.Add("x");
        Assert.Equal("x", await taking);
    }

    [Fact]
    public void AddAfter_waits_on_the_clock_and_the_earliest_delay_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, queue.Count);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, queue.Count);   // the later delays did not add it again
    }

    [Fact]
    public async Task Rate_limited_retries_back_off_per_key_and_Forget_starts_over()
    {
        using var queue = NewQueue();
        var expected = new[] { 5, 10, 20, 40 };
        foreach (int ms in expected)
        {
            queue.AddRateLimited("bad");
            _clock.Advance(TimeSpan.FromMilliseconds(ms - 1));
            Assert.Equal(0, queue.Count);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, queue.Count);
            queue.Done(await Take(queue));
        }
        Assert.Equal(4, queue.NumRequeues("bad"));
        Assert.Equal(0, queue.NumRequeues("good"));
        queue.Forget("bad");
        Assert.Equal(0, queue.NumRequeues("bad"));
        queue.AddRateLimited("bad");
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task Shutdown_drains_what_is_queued_then_reports_the_end_and_ignores_new_keys()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.AddAfter("late", TimeSpan.FromSeconds(1));
        queue.ShutDown();
        queue.Add("b");
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("a", (await queue.GetAsync()).Key);
        var (_, down) = await queue.GetAsync();
        Assert.True(down);
    }

    [Fact]
    public async Task Cancelling_a_waiting_worker_does_not_swallow_a_key()
    {
        using var queue = NewQueue();
        using (var cts = new CancellationTokenSource())
        {
            Task waiting = queue.GetAsync(cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
        queue.Add("k");
        Assert.Equal("k", await Take(queue));
    }
}
