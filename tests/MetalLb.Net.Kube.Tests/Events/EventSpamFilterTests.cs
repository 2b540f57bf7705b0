using MetalLb.Net.Kube.Events;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Events;

public sealed class EventSpamFilterTests
{
    [Fact]
    public void Each_object_gets_its_burst_then_one_event_per_refill()
    {
        var clock = new FakeTimeProvider();
        var filter = new EventSpamFilter(clock, burst: 3, refill: TimeSpan.FromMinutes(5));
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => filter.Allow("default/web")));
        Assert.True(filter.Allow("default/other"));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([true, false], Enumerable.Range(0, 2).Select(_ => filter.Allow("default/web")));
    }

    [Fact]
    public void Ten_thousand_objects_in_use_are_all_allowed_and_kept()
    {
        // 10,000 Services allocated within one refill period: every bucket is still in use, so a
        // prune frees nothing, and none of them may lose its burst.
        var clock = new FakeTimeProvider();
        var filter = new EventSpamFilter(clock);
        for (int i = 0; i < 10_000; i++)
            Assert.True(filter.Allow($"bench/svc-{i}"));
        Assert.Equal(10_000, filter.Count);
        Assert.True(filter.Allow("bench/svc-0"));
    }

    [Fact]
    public void Buckets_refilled_to_the_brim_are_dropped_once_the_table_is_large()
    {
        var clock = new FakeTimeProvider();
        var filter = new EventSpamFilter(clock, burst: 2, refill: TimeSpan.FromMinutes(1));
        for (int i = 0; i < 5_000; i++)
            filter.Allow($"old/svc-{i}");
        clock.Advance(TimeSpan.FromMinutes(2));   // every old bucket is full again
        for (int i = 0; i < 5_000; i++)
            filter.Allow($"new/svc-{i}");
        // The prune at the threshold dropped the old ones, which are the same as no bucket.
        Assert.True(filter.Count < 10_000, $"{filter.Count} buckets kept");
        Assert.True(filter.Count >= 5_000);
    }
}
