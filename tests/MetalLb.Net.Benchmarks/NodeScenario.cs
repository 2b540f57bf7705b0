using System.Diagnostics;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Benchmarks;

/// <summary>
/// The speaker's resync (issue 15): every Service decided for one node by
/// <see cref="NodeAnnouncer.Decide"/>, on the same cluster as plan-l2-bgp, every Service already
/// holding the IP the controller gave it. Timed three ways: a new scope (what a config, Node or
/// membership change costs: the scope's index is built during the pass), the same scope again
/// (a resync with nothing changed), and a new scope with memberlist on.
/// </summary>
internal static class NodeScenario
{
    public static Measurement Pass(int services, int nodes)
    {
        var objects = Workload.Cluster(services, nodes);
        Workload.GiveIngress(objects);
        var all = objects.OfType<Service>().ToList();
        var nodeList = objects.OfType<Node>().ToList();
        // The speaker's informer indexes EndpointSlices by service; so does this harness.
        var slices = objects.OfType<EndpointSlice>().ToDictionary(e => e.Metadata.Labels![EndpointSlice.ServiceNameLabel], e => (IEnumerable<EndpointSlice>)[e]);
        var input = new ConfigInput
        {
            Pools = objects.OfType<IPAddressPool>().ToList(),
            L2Advertisements = objects.OfType<L2Advertisement>().ToList(),
            BgpAdvertisements = objects.OfType<BGPAdvertisement>().ToList(),
            Peers = objects.OfType<BGPPeer>().ToList(),
            Nodes = nodeList,
        };

        // JIT and first-touch costs go to another node's pass, so they do not count below.
        Run(Scope("node-001", input, nodeList, null), all, slices);

        string node = "node-042";
        var parse = Stopwatch.StartNew();
        var config = ConfigParser.Parse(NodeConfigFilter.ForNode(input, node)).Config
            ?? throw new InvalidOperationException("benchmark config is invalid");
        parse.Stop();
        var scope = new SpeakerScope(node, config, nodeList, null, false);
        var (cold, l2, routes) = Run(scope, all, slices);
        var (warm, _, _) = Run(scope, all, slices);
        var live = nodeList.Select(n => n.Metadata.Name!).ToHashSet();
        var (memberlist, _, _) = Run(new SpeakerScope(node, config, nodeList, live, false), all, slices);
        var build = Parts(config, nodeList, all, slices);
        if (l2 == 0 || routes == 0) throw new InvalidOperationException("benchmark pass announces nothing: it measures nothing");

        return new Measurement("node-pass",
            $"{services:N0} services decided for {node} of {nodes} nodes, L2 + BGP: new scope {cold}, same scope again {warm}, " +
            $"new scope with memberlist {memberlist}; config pre-filter + parse {parse.Elapsed.TotalMilliseconds:N1} ms; " +
            $"this node wins L2 for {l2:N0} services and sends {routes:N0} routes; {build}",
            services, "services", cold.Wall);
    }

    /// <summary>
    /// Where a pass goes: turning every Service and its slices into a request (shared by both
    /// protocols), and one SHA-256 of the L2 election, to compare with the pass.
    /// </summary>
    private static string Parts(MetalLbConfig config, List<Node> nodes, List<Service> services, Dictionary<string, IEnumerable<EndpointSlice>> slices)
    {
        double cpu = ThreadCpu.Milliseconds();
        var clock = Stopwatch.StartNew();
        foreach (var s in services)
            AnnouncementRequest.TryCreate(config, s, nodes, slices[s.Metadata.Name!], out _, out _);
        clock.Stop();
        var requests = new Time(clock.Elapsed.TotalMilliseconds, ThreadCpu.Milliseconds() - cpu);
        cpu = ThreadCpu.Milliseconds();
        clock.Restart();
        for (int i = 0; i < 10_000; i++) L2Planner.Hash(nodes[i % nodes.Count].Metadata.Name!, "10.0.12.34");
        clock.Stop();
        var hashes = new Time(clock.Elapsed.TotalMilliseconds, ThreadCpu.Milliseconds() - cpu);
        return $"for comparison: building the {services.Count:N0} requests alone {requests}, 10,000 SHA-256 of the election {hashes}";
    }

    private static SpeakerScope Scope(string node, ConfigInput input, IReadOnlyList<Node> nodes, IReadOnlySet<string>? live) =>
        new(node, ConfigParser.Parse(NodeConfigFilter.ForNode(input, node)).Config!, nodes, live, false);

    private static (Time Time, int L2, int Routes) Run(SpeakerScope scope, List<Service> services, Dictionary<string, IEnumerable<EndpointSlice>> slices)
    {
        int l2 = 0, routes = 0;
        double cpu = ThreadCpu.Milliseconds();
        var clock = Stopwatch.StartNew();
        foreach (var s in services)
        {
            var d = NodeAnnouncer.Decide(scope, s, slices[s.Metadata.Name!]);
            if (d.L2.Announce) l2++;
            routes += d.Bgp.Routes.Count;
        }
        clock.Stop();
        return (new Time(clock.Elapsed.TotalMilliseconds, ThreadCpu.Milliseconds() - cpu), l2, routes);
    }

    /// <summary>Wall clock and this thread's CPU time of one pass.</summary>
    internal readonly record struct Time(double Wall, double Cpu)
    {
        public override string ToString() => $"{Wall:N1} ms ({Cpu:N1} ms CPU)";
    }
}
