using MetalLb.Net.Gossip.Swim;
using Xunit.Abstractions;

namespace MetalLb.Net.Gossip.Tests.Sim;

/// <summary>
/// One member cut from the rest, as `metallb-net lab partition` does, then healed. A cut shorter
/// than GossipToTheDeadTime leaves both sides holding the other dead at the same incarnation; a
/// longer one has both sides reap the other from the list. Either way the library alone (no host
/// re-join) must bring the members back within a couple of reconnect intervals. Simulated time:
/// the bound is the protocol's, the lab measures the wall clock (docs/benchmarks.md).
/// </summary>
public sealed class PartitionHealTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3, 5, 1)]
    [InlineData(3, 20, 2)]
    [InlineData(3, 60, 3)]
    [InlineData(10, 5, 4)]
    [InlineData(10, 20, 5)]
    public void A_cut_member_is_back_within_two_reconnect_intervals_of_the_heal(int size, int cutSeconds, int seed)
    {
        var cluster = new SimCluster(size, MemberlistOptions.Fast, seed: seed);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        var lone = cluster.Addresses[0];
        cluster.Network.Partition(a => a.Equals(lone) ? 1 : 0);
        cluster.Time.Advance(TimeSpan.FromSeconds(cutSeconds));
        // The cut was seen: no one on the other side counts the lone member any more.
        var name = cluster.Members[0].Name;
        Assert.All(cluster.Members.Skip(1), m => Assert.DoesNotContain(m.Members, x => x.Name == name));

        cluster.Network.Heal();
        var healed = cluster.Time.GetUtcNow();
        var bound = 2 * cluster.Members[0].Options.ReconnectInterval + TimeSpan.FromSeconds(1);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, bound), $"not one cluster again {bound.TotalSeconds} s after the heal");
        output.WriteLine($"{size} members, {cutSeconds} s cut: one cluster {(cluster.Time.GetUtcNow() - healed).TotalMilliseconds} ms after the heal");
    }
}
