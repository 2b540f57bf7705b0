using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// A speaker restarted on its node keeps its name and address and starts again at a low
/// incarnation, while the others still remember its previous life at a higher one.
/// </summary>
public sealed class RestartTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_member_restarted_once_then_leaving_is_seen_leaving_at_once(bool firstLifeEndedGracefully)
    {
        var cluster = new SimCluster(3, MemberlistOptions.Fast, seed: 9);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        // Raise node-00's incarnation as a loaded node's would: suspected and refuted a few times.
        cluster.Network.Deafen(cluster.Addresses[0]);
        cluster.Time.Advance(TimeSpan.FromMilliseconds(900));
        cluster.Network.Undeafen(cluster.Addresses[0]);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        uint firstLife = cluster.Members[1].AllMembers.Single(m => m.Name == "node-00").Incarnation;
        Assert.True(firstLife > 1, $"node-00 was never refuted (incarnation {firstLife})");

        // First life ends.
        if (firstLifeEndedGracefully)
        {
            var left = cluster.Members[0].Leave();
            Assert.True(cluster.Time.AdvanceUntil(() => left.IsCompleted, TimeSpan.FromSeconds(10)));
        }
        cluster.Kill(0);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));

        // Second life: same name and address, a fresh process.
        var restarted = cluster.Restart(0);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)), "the restarted member did not rejoin");

        // It took an incarnation above its first life's, or the others would ignore its goodbye.
        Assert.All(cluster.Live, i => Assert.True(cluster.Members[i].AllMembers.Single(m => m.Name == restarted.Name).Incarnation > firstLife));

        var leave = restarted.Leave();
        Assert.True(cluster.Time.AdvanceUntil(() => leave.IsCompleted, TimeSpan.FromSeconds(10)));
        var since = cluster.Events.Count;
        cluster.Kill(0);
        // The goodbye reaches both others directly; nobody has to find out by probing it.
        cluster.Time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.All(cluster.Live, i => Assert.Equal(MemberState.Left,
            cluster.Members[i].AllMembers.Single(m => m.Name == restarted.Name).State));
        Assert.DoesNotContain(cluster.Events.Skip(since), e => e.Event.Kind == MemberEventKind.Fail);
    }
}
