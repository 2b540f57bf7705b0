using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// Deterministic simulations: 50 members on an in-memory network with a manual clock and a
/// seeded loss generator. Time limits here are simulated time, generous enough for the worst
/// case SWIM allows; they bound the run, they do not measure speed (the benchmark does).
/// </summary>
public sealed class SimulationTests
{
    private const int Size = 50;

    public static TheoryData<string, double> Profiles => new()
    {
        { "lan", 0.0 }, { "lan", 0.05 }, { "lan", 0.20 },
        { "fast", 0.0 }, { "fast", 0.10 }, { "fast", 0.20 },
    };

    private static Func<string, System.Net.IPEndPoint, MemberlistOptions> Profile(string name) =>
        name == "fast" ? MemberlistOptions.Fast : MemberlistOptions.Lan;

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_killed_member_is_declared_dead_by_every_live_member(string profile, double loss)
    {
        var cluster = new SimCluster(Size, Profile(profile), seed: 7, loss: loss);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(60)), "cluster never converged");

        cluster.Kill(17);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(120)),
            "live members did not all declare node-17 dead");
        var victim = cluster.Members[17].Name;
        Assert.All(cluster.Live, i => Assert.Contains(cluster.Events,
            e => e.Observer == i && e.Event.Member.Name == victim && e.Event.Kind == MemberEventKind.Fail));
    }

    [Theory]
    [InlineData("lan")]
    [InlineData("fast")]
    public void No_live_member_is_declared_dead_at_ten_percent_loss(string profile)
    {
        var cluster = new SimCluster(Size, Profile(profile), seed: 11);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(60)));
        cluster.Network.Loss = 0.10;
        cluster.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(cluster.FalseFailures());
        // Transient suspicions are allowed under loss; without it they must all be refuted.
        cluster.Network.Loss = 0;
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        // The loss was real: thousands of packets fell.
        Assert.InRange(cluster.Network.Dropped, 1000, long.MaxValue);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("lan")]
    public void A_healed_partition_converges(string profile)
    {
        var cluster = new SimCluster(Size, Profile(profile), seed: 3);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(60)));

        cluster.Network.Partition(a => a.Address.GetAddressBytes()[3] % 2);
        // Each side gives up on the other: someone on the even side declares an odd member dead.
        Assert.True(cluster.Time.AdvanceUntil(
            () => cluster.Members[0].AllMembers.Count(m => m.State == MemberState.Dead) == Size / 2, TimeSpan.FromSeconds(120)));

        cluster.Network.Heal();
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(300)), "partition did not heal");
    }

    [Fact]
    public void A_graceful_leave_is_seen_as_leave_not_failure()
    {
        var cluster = new SimCluster(10, MemberlistOptions.Lan, seed: 5);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        var left = cluster.Members[4].Leave();
        Assert.True(cluster.Time.AdvanceUntil(() => left.IsCompleted, TimeSpan.FromSeconds(10)));
        cluster.Kill(4);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        var name = cluster.Members[4].Name;
        Assert.All(cluster.Live, i => Assert.Contains(cluster.Events,
            e => e.Observer == i && e.Event.Member.Name == name && e.Event.Kind == MemberEventKind.Leave));
        Assert.DoesNotContain(cluster.Events, e => e.Event.Member.Name == name && e.Event.Kind == MemberEventKind.Fail);
        Assert.All(cluster.Live, i => Assert.Equal(MemberState.Left,
            cluster.Members[i].AllMembers.Single(m => m.Name == name).State));
    }

    [Fact]
    public void Every_member_joins_through_one_seed()
    {
        var cluster = new SimCluster(Size, MemberlistOptions.Lan, seed: 1);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(60)));
        Assert.All(cluster.Members, m => Assert.Equal(Size, m.Members.Count));
        Assert.All(cluster.Live, i => Assert.Equal(Size - 1, cluster.Events.Count(e => e.Observer == i && e.Event.Kind == MemberEventKind.Join)));
    }
}
