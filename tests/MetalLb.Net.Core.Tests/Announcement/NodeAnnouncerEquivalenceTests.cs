using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;
using static MetalLb.Net.Core.Tests.Announcement.NodeFixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

/// <summary>
/// NodeAnnouncer takes shortcuts (candidate sets per scope, a loser stops hashing early, the
/// winner found on demand); the whole-cluster planners take none. On seeded random clusters,
/// every node's decision must be what <see cref="L2Planner.Elect(AnnouncementRequest, IReadOnlyList{L2AdvertisementConfig})"/>
/// with <see cref="L2Election.ShouldAnnounce"/> and <see cref="BgpPlanner.Plan(AnnouncementRequest, IReadOnlyList{BgpAdvertisementConfig}, IReadOnlyList{PeerConfig})"/> say.
/// </summary>
public sealed class NodeAnnouncerEquivalenceTests
{
    private const string Excluded = "node.kubernetes.io/exclude-from-external-load-balancers=";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_node_decides_as_the_whole_cluster_planners_do(int seed)
    {
        var random = new Random(seed);
        int compared = 0, announcedL2 = 0, announcedBgp = 0;
        for (int round = 0; round < 300; round++)
        {
            var nodes = RandomNodes(random);
            var config = ConfigOf(RandomL2(random), RandomBgp(random), RandomPeers(random));
            var names = nodes.Select(n => n.Metadata.Name!).Distinct().ToList();
            IReadOnlySet<string>? live = random.Next(2) == 0 ? null
                : names.Where(_ => random.Next(4) > 0).Append("not-a-node").ToHashSet();
            bool ignoreExclude = random.Next(4) == 0;
            var service = Svc(
                random.Next(4) == 0 ? $"10.0.{random.Next(3)}.{random.Next(256)},fd00::{random.Next(1, 99):x}" : $"10.{random.Next(3)}.{random.Next(9)}.{random.Next(256)}",
                policy: random.Next(2) == 0 ? "Local" : "Cluster",
                annotations: random.Next(5) == 0 ? "metallb.universe.tf/allow-shared-ip=k" : "");
            var slices = EndpointsOn([.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(6) == 0 ? "" : names[random.Next(names.Count)])]);

            Assert.True(AnnouncementRequest.TryCreate(config, service, nodes, slices, out var created, out _));
            var request = created! with { LiveSpeakers = live, IgnoreExcludeLabel = ignoreExclude };
            var election = L2Planner.Elect(request, config);
            var plan = BgpPlanner.Plan(request, config);
            foreach (var name in names.Append("ghost"))
            {
                var d = NodeAnnouncer.Decide(new SpeakerScope(name, config, nodes, live, ignoreExclude), service, slices);
                string where = $"seed {seed} round {round} node {name}";
                Assert.True(election.Winner == d.L2.Winner, $"{where}: winner {d.L2.Winner}, expected {election.Winner}");
                Assert.True(Equals(election.Interfaces, d.L2.Interfaces), where);
                Assert.True(election.ShouldAnnounce(name) == d.L2.Reason, $"{where}: L2 {d.L2.Reason}, expected {election.ShouldAnnounce(name)}");
                var expectedRoutes = plan.Routes.Where(r => r.Node == name)
                    .Select(r => $"{r.Peer} {r.Prefix} {r.LocalPref} {string.Join(",", r.Communities)}").ToList();
                var routes = d.Bgp.Routes.Select(r => $"{r.Peer} {r.Prefix} {r.LocalPref} {string.Join(",", r.Communities.Select(c => c.ToString()).Order(StringComparer.Ordinal))}").ToList();
                Assert.True(expectedRoutes.SequenceEqual(routes), $"{where}: routes [{string.Join("; ", routes)}], expected [{string.Join("; ", expectedRoutes)}]");
                Assert.True(plan.ShouldAnnounce(name) == d.Bgp.Reason, $"{where}: BGP {d.Bgp.Reason}, expected {plan.ShouldAnnounce(name)}");
                Assert.Equal(routes.Select(r => r.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal), d.Bgp.Peers);
                compared++;
                if (d.L2.Announce) announcedL2++;
                if (d.Bgp.Announce) announcedBgp++;
            }
        }
        // The generator must reach the interesting branches, or this test proves little.
        Assert.True(announcedL2 > 50 && announcedBgp > 80, $"{compared} compared, {announcedL2} L2 and {announcedBgp} BGP announcing");
    }

    private static List<Node> RandomNodes(Random random)
    {
        var nodes = new List<Node>();
        int count = random.Next(1, 8);
        for (int i = 0; i < count; i++)
        {
            var labels = new List<string> { $"zone={"abc"[random.Next(3)]}", $"rack=r{random.Next(2)}" };
            if (random.Next(7) == 0) labels.Add(Excluded + (random.Next(2) == 0 ? "false" : ""));
            nodes.Add(Node($"node-{i}", string.Join(",", labels), random.Next(8) == 0 ? "NetworkUnavailable=True" : "Ready=True"));
        }
        return [.. nodes.OrderBy(_ => random.Next())];
    }

    private static List<L2AdvertisementConfig> RandomL2(Random random) =>
        [.. Enumerable.Range(0, random.Next(4)).Select(i => L2(
            $"l2-{i}",
            nodes: random.Next(3) == 0 ? $"zone={"abc"[random.Next(3)]}" : "",
            services: random.Next(6) == 0 ? (random.Next(2) == 0 ? "app=web" : "app=db") : "",
            interfaces: random.Next(3) == 0 ? string.Join(",", Enumerable.Range(0, random.Next(1, 3)).Select(_ => $"eth{random.Next(3)}").Distinct()) : "",
            preferred: [.. Enumerable.Range(0, random.Next(3)).Select(_ => Prefer(random.Next(1, 4) * 10, random.Next(3) == 0 ? "" : $"rack=r{random.Next(2)}"))]))];

    private static List<BgpAdvertisementConfig> RandomBgp(Random random) =>
        [.. Enumerable.Range(0, random.Next(4)).Select(i =>
        {
            bool bySelector = random.Next(5) == 0;
            return Bgp(
                $"bgp-{i}",
                aggregation: bySelector || random.Next(3) > 0 ? 32 : 24,
                aggregationV6: bySelector || random.Next(3) > 0 ? 128 : 64,
                localPref: (uint)(random.Next(2) * 100),
                communities: string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => random.Next(4) == 0 ? $"large:1:2:{random.Next(3)}" : $"65000:{random.Next(3)}").Distinct()),
                nodes: random.Next(3) == 0 ? $"zone={"abc"[random.Next(3)]}" : "",
                peers: random.Next(3) == 0 ? $"peer-{random.Next(3)}" : "",
                services: bySelector ? "app=web" : "");
        })];

    private static List<PeerConfig> RandomPeers(Random random) =>
        [.. Enumerable.Range(0, random.Next(4)).Select(i => Peer(
            $"peer-{i}",
            address: random.Next(3) == 0 ? "fd00:ff::1" : $"192.168.0.{i + 1}",
            peerAsn: random.Next(2) == 0 ? 64500u : 64501u,
            nodes: random.Next(3) == 0 ? $"rack=r{random.Next(2)}" : "",
            dualStack: random.Next(4) == 0))];
}
