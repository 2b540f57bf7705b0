using MetalLb.Net.Kube.Queue;
using MetalLb.Net.Kube.Watch;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Item_backoff_doubles_from_5ms_and_stops_at_1000s()
    {
        var limiter = new ItemExponentialRateLimiter<string>();
        var delays = Enumerable.Range(0, 40).Select(_ => limiter.When("k")).ToList();
        Assert.Equal(TimeSpan.FromMilliseconds(5), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(10), delays[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 1024), delays[10]);
        // 5 ms * 2^18 = 1310.72 s is the first past the cap.
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 131072), delays[17]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[18]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[39]);
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("other"));
    }

    [Fact]
    public void Token_bucket_allows_a_burst_then_spaces_retries_at_its_rate()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucketRateLimiter<string>(10, 100, clock);
        for (int i = 0; i < 100; i++)
            Assert.Equal(TimeSpan.Zero, bucket.When($"k{i}"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("k100"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When("k101"));
        clock.Advance(TimeSpan.FromSeconds(1));   // 10 tokens back, 2 were already promised
        for (int i = 0; i < 8; i++)
            Assert.Equal(TimeSpan.Zero, bucket.When($"j{i}"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("j8"));
    }

    [Fact]
    public void The_default_limiter_takes_the_longer_of_both()
    {
        var clock = new FakeTimeProvider();
        IRateLimiter<string> limiter = RateLimiters.Default<string>(clock);
        for (int i = 0; i < 100; i++)
            limiter.When($"k{i}");
        // Bucket empty: 100 ms beats the item's 5 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("fresh"));
    }

    [Fact]
    public void Backoff_doubles_to_its_cap_with_jitter_only_ever_adding()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0);
        var plain = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        Assert.Equal([100, 200, 400, 800, 1000, 1000], plain);
        backoff.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next());

        var jittered = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 1.0, random: new Random(7));
        for (int i = 0; i < 6; i++)
        {
            double ms = jittered.Next().TotalMilliseconds;
            double floor = Math.Min(1000, 100 * Math.Pow(2, i));
            Assert.InRange(ms, floor, 2 * floor);
        }
    }
}
