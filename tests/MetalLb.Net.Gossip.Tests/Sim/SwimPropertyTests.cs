using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>The properties SWIM's indirect probes and Lifeguard's local health exist for.</summary>
public sealed class SwimPropertyTests
{
    [Theory]
    [InlineData("lan")]
    [InlineData("fast")]
    public void A_broken_link_between_two_members_does_not_fail_either(string profile)
    {
        var cluster = new SimCluster(10, profile == "fast" ? MemberlistOptions.Fast : MemberlistOptions.Lan, seed: 31);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        var incarnations = cluster.Members.Select(m => m.AllMembers.Single(x => x.Name == m.Name).Incarnation).ToList();
        // Member 1 cannot reach member 2 directly, nor by TCP, but others can reach both:
        // indirect probes through them must keep 2 alive in 1's eyes, and vice versa.
        cluster.Network.Cut(cluster.Addresses[1], cluster.Addresses[2]);
        cluster.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(cluster.FalseFailures());
        Assert.True(cluster.Converged());
        // Not even a suspicion: nobody had to refute one (refuting raises the incarnation).
        Assert.Equal(incarnations, cluster.Members.Select(m => m.AllMembers.Single(x => x.Name == m.Name).Incarnation));
    }

    [Fact]
    public void A_member_that_hears_nothing_blames_itself_and_fails_nobody_else()
    {
        var cluster = new SimCluster(10, MemberlistOptions.Lan, seed: 32);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        cluster.Network.Deafen(cluster.Addresses[3]);
        cluster.Time.Advance(TimeSpan.FromSeconds(60));

        // Lifeguard: no nacks came back, so member 3 raised its own health score (and slowed down)...
        Assert.InRange(cluster.Members[3].HealthScore, 1, 7);
        // ...and whatever it concluded on its own, its accusations were refuted everywhere else.
        Assert.DoesNotContain(cluster.Events, e => e.Observer != 3 && e.Event.Kind == MemberEventKind.Fail && e.Event.Member.Name != cluster.Members[3].Name);
        Assert.All(cluster.Live.Where(i => i != 3), i =>
            Assert.Equal(9, cluster.Members[i].AllMembers.Count(m => m.State == MemberState.Alive && m.Name != cluster.Members[3].Name)));
    }
}
