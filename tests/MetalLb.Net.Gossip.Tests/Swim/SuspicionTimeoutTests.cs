using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Swim;

/// <summary>Upstream LAN figures from docs/upstream-speaker.md §5.</summary>
public sealed class SuspicionTimeoutTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(3, 4000)]
    [InlineData(10, 4000)]
    [InlineData(100, 8000)]
    [InlineData(50, 6795)]
    public void Minimum_is_mult_times_log10_n_probe_intervals(int nodes, int expectedMs)
    {
        Assert.Equal(expectedMs, (int)SuspicionTimeout.Min(4, nodes, Second).TotalMilliseconds);
    }

    [Theory]
    [InlineData(3, 0)]     // n <= 3: nobody left to confirm, the minimum applies at once
    [InlineData(4, 2)]
    [InlineData(50, 2)]
    public void Expected_confirmations_are_mult_minus_two_when_the_cluster_can_provide_them(int nodes, int expected)
    {
        Assert.Equal(expected, SuspicionTimeout.ExpectedConfirmations(4, nodes));
    }

    [Fact]
    public void Timeout_falls_from_max_to_min_with_confirmations()
    {
        var min = TimeSpan.FromSeconds(4);
        var max = TimeSpan.FromSeconds(24);
        Assert.Equal(max, SuspicionTimeout.Timeout(0, 2, min, max));
        var one = SuspicionTimeout.Timeout(1, 2, min, max);
        Assert.InRange(one, min + TimeSpan.FromSeconds(1), max - TimeSpan.FromSeconds(1));
        Assert.Equal(min, SuspicionTimeout.Timeout(2, 2, min, max));
        Assert.Equal(min, SuspicionTimeout.Timeout(0, 0, min, max));
    }

    [Fact]
    public void A_suspicion_counts_each_confirmer_once_and_stops_at_k()
    {
        var suspicion = new Suspicion("a", 2, Second, 6 * Second, 0, 1);
        Assert.False(suspicion.Confirm("a"));
        Assert.True(suspicion.Confirm("b"));
        Assert.False(suspicion.Confirm("b"));
        Assert.True(suspicion.Confirm("c"));
        Assert.False(suspicion.Confirm("d"));
        Assert.Equal(Second, suspicion.Timeout);
    }

    [Fact]
    public void Awareness_scales_timeouts_and_stays_in_range()
    {
        var awareness = new Awareness(8);
        awareness.ApplyDelta(-1);
        Assert.Equal(0, awareness.Score);
        awareness.ApplyDelta(3);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), awareness.Scale(TimeSpan.FromMilliseconds(500)));
        awareness.ApplyDelta(100);
        Assert.Equal(7, awareness.Score);
    }

    [Fact]
    public void Broadcasts_are_limited_replaced_per_member_and_least_sent_first()
    {
        var queue = new BroadcastQueue(retransmitMult: 2);
        var finished = 0;
        queue.Enqueue("a", [1], () => finished++);
        queue.Enqueue("a", [2]);           // replaces the older word about "a"
        queue.Enqueue("b", [3, 3]);
        Assert.Equal(1, finished);
        // n = 5 members: limit = 2 x ceil(log10(6)) = 2 transmissions each.
        Assert.Equal(2, queue.Take(2, 100, 5).Count);
        queue.Enqueue("c", [4]);
        Assert.Equal([4], queue.Take(2, 3, 5).Single());   // only the fresh one fits; it goes first
        Assert.Equal(3, queue.Take(2, 100, 5).Count);
        Assert.Equal(0, queue.Count);                      // each has now gone out twice: done
        Assert.Empty(queue.Take(2, 100, 5));
    }
}
