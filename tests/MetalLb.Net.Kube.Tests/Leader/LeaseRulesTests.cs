using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Leader;

namespace MetalLb.Net.Kube.Tests.Leader;

public sealed class LeaseRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    private static LeaseSpec Held(string? holder, int transitions = 3) => new()
    {
        HolderIdentity = holder, LeaseDurationSeconds = 15, AcquireTime = T0, RenewTime = T0, LeaseTransitions = transitions,
    };

    public static TheoryData<string, LeaseSpec, int, bool, int?> Cases => new()
    {
        // name, current lease, seconds since we observed it, expect a write, transitions after
        { "another's fresh lease is left alone", Held("b"), 14, false, null },
        { "another's lease at exactly its duration is taken", Held("b"), 15, true, 4 },
        { "another's expired lease is taken, a transition", Held("b"), 60, true, 4 },
        { "our own lease is renewed at once, no transition", Held("a"), 0, true, 3 },
        { "a released lease (no holder) is taken at once", Held(""), 0, true, 4 },
        { "a lease with no holder field is taken", Held(null), 0, true, 4 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Who_may_write_the_lease(string name, LeaseSpec current, int secondsObserved, bool writes, int? transitions)
    {
        DateTimeOffset now = T0.AddSeconds(secondsObserved);
        LeaseSpec? next = LeaseRules.Next(current, "a", now, T0, Duration);
        Assert.True(writes == next is not null, name);
        if (next is null)
            return;
        Assert.Equal("a", next.HolderIdentity);
        Assert.Equal(now, next.RenewTime);
        Assert.Equal(15, next.LeaseDurationSeconds);
        Assert.Equal(transitions, next.LeaseTransitions);
        Assert.Equal(current.HolderIdentity == "a" ? T0 : now, next.AcquireTime);
    }

    [Fact]
    public void Releasing_clears_the_holder_and_keeps_the_transition_count()
    {
        LeaseSpec released = LeaseRules.Released(Held("a", 7), T0);
        Assert.Equal("", released.HolderIdentity);
        Assert.Equal(1, released.LeaseDurationSeconds);
        Assert.Equal(7, released.LeaseTransitions);
    }

    [Fact]
    public void Inconsistent_timings_are_refused_like_client_go()
    {
        var store = new LeaseStoreFake().For("a", TimeProvider.System);
        Assert.Throws<ArgumentException>(() => new LeaderElector(store, new LeaderElectionOptions
        {
            LeaseName = "l", Namespace = "ns", Identity = "a", LeaseDuration = TimeSpan.FromSeconds(10),
        }));
        Assert.Throws<ArgumentException>(() => new LeaderElector(store, new LeaderElectionOptions
        {
            LeaseName = "l", Namespace = "ns", Identity = "a", RetryPeriod = TimeSpan.FromSeconds(9),
        }));
    }
}
