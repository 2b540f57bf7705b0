using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Announcement.Fixtures;

namespace MetalLb.Net.Core.Tests.Announcement;

public sealed class L2PlannerTests
{
    /// <summary>Expect either the candidate order ("b,a,c") or a reason; optionally the winner's interfaces.</summary>
    public sealed record Case(
        AnnouncementRequest Request, IReadOnlyList<L2AdvertisementConfig> Ads,
        string? Order = null, NotAnnouncedReason? Reason = null, string? Interfaces = null);

    private static readonly L2AdvertisementConfig All = L2();
    private const string Excluded = "node.kubernetes.io/exclude-from-external-load-balancers=false";

    // Without preferences, 10.0.0.1 over {node-a,node-b,node-c} orders b,a,c (upstream
    // TestSortL2Candidates); most rows below start from that and change one thing.
    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["upstream vector: 10.0.0.1 over a,b,c -> b,a,c"] = new(Request("10.0.0.1"), [All], "node-b,node-a,node-c"),
        ["upstream vector: 10.0.0.2 over a,b,c -> b,c,a"] = new(Request("10.0.0.2"), [All], "node-b,node-c,node-a"),
        ["upstream vector: 10.20.30.1 over iris1,iris2 -> iris2"] =
            new(Request("10.20.30.1", Nodes("iris1", "iris2")), [All], "iris2,iris1"),
        ["upstream vector: 10.20.30.2 over iris1,iris2 -> iris1"] =
            new(Request("10.20.30.2", Nodes("iris1", "iris2")), [All], "iris1,iris2"),
        ["dual-stack service is hashed on ingress[0] only"] = new(Request("10.0.0.2,10.0.0.1"), [All], "node-b,node-c,node-a"),
        ["node input order does not matter"] = new(Request("10.0.0.1", Nodes("node-c", "node-b", "node-a")), [All], "node-b,node-a,node-c"),

        // §4.2 preferences: score first, hash only breaks ties.
        ["preferred node beats the hash winner"] =
            new(Request(nodes: [Node("node-a"), Node("node-b"), Node("node-c", "zone=c")]), [L2(preferred: Prefer(10, "zone=c"))],
                "node-c,node-b,node-a"),
        ["weights add across selectors of one ad (60 beats 50)"] =
            new(Request(nodes: [Node("node-a", "zone=x,rack=r1"), Node("node-b", "big=yes"), Node("node-c")]),
                [L2(preferred: [Prefer(30, "zone=x"), Prefer(30, "rack=r1"), Prefer(50, "big=yes")])], "node-a,node-b,node-c"),
        ["weights add across ads (30+30 beats 50)"] =
            new(Request(nodes: [Node("node-a", "zone=x"), Node("node-b", "big=yes"), Node("node-c")]),
                [L2("ad1", preferred: [Prefer(30, "zone=x"), Prefer(50, "big=yes")]), L2("ad2", preferred: Prefer(30, "zone=x"))],
                "node-a,node-b,node-c"),
        ["preference counts only for nodes inside the ad's nodeSelectors"] =
            new(Request(nodes: [Node("node-a", "zone=a"), Node("node-b"), Node("node-c", "zone=c")]),
                [L2("ad1", nodes: "zone=a", preferred: Prefer(100, "zone=c")), L2("ad2")], "node-b,node-a,node-c"),
        ["empty preference selector scores every node alike: hash decides"] =
            new(Request(), [L2(preferred: Prefer(50, ""))], "node-b,node-a,node-c"),

        // §4.1 step 1-3: service-wide refusals.
        ["no L2Advertisement for the pool"] = new(Request(), [], Reason: NotAnnouncedReason.NoL2Advertisement),
        ["ad's serviceSelectors do not match the service"] =
            new(Request(labels: "app=web"), [L2(services: "app=db")], Reason: NotAnnouncedReason.NoL2Advertisement),
        ["serviceSelectors matching the service apply"] =
            new(Request(labels: "app=web"), [L2(services: "app=db|app=web")], "node-b,node-a,node-c"),
        ["Cluster with no endpoints at all: nobody (upstream withdraws Cluster too)"] =
            new(Request(endpoints: Eps()), [All], Reason: NotAnnouncedReason.NoServingEndpoints),
        ["only ready=false serving=false endpoints: nobody"] =
            new(Request(endpoints: Eps(Ep("node-a", canServe: false))), [All], Reason: NotAnnouncedReason.NoServingEndpoints),
        ["serving endpoint without nodeName still lets a Cluster service be announced"] =
            new(Request(endpoints: Eps(Ep(null))), [All], "node-b,node-a,node-c"),
        ["shared IP (metallb.io) with a serviceSelector ad: nobody"] =
            new(Request(annotations: "metallb.io/allow-shared-ip=k"), [L2(services: "app=web")],
                Reason: NotAnnouncedReason.SharedIPWithServiceSelector),
        ["shared IP (legacy key) with a serviceSelector ad among others: nobody"] =
            new(Request(annotations: "metallb.universe.tf/allow-shared-ip=k"), [All, L2("sel", services: "app=web")],
                Reason: NotAnnouncedReason.SharedIPWithServiceSelector),
        ["shared IP without serviceSelectors is announced"] =
            new(Request(annotations: "metallb.io/allow-shared-ip=k"), [All], "node-b,node-a,node-c"),

        // §4.1 step 5: candidates.
        ["hash winner excluded by label (value \"false\"): next one wins"] =
            new(Request(nodes: [Node("node-a"), Node("node-b", Excluded), Node("node-c")]), [All], "node-a,node-c"),
        ["hash winner NetworkUnavailable: next one wins"] =
            new(Request(nodes: [Node("node-a"), Node("node-b", "", "NetworkUnavailable=True"), Node("node-c")]), [All], "node-a,node-c"),
        ["Ready=False is not consulted: still a candidate"] =
            new(Request(nodes: [Node("node-a"), Node("node-b", "", "Ready=False"), Node("node-c")]), [All], "node-b,node-a,node-c"),
        ["memberlist live set drops nodes without a speaker"] =
            new(Request() with { LiveSpeakers = new HashSet<string> { "node-a", "node-c" } }, [All], "node-a,node-c"),
        ["ad nodeSelectors restrict candidates"] =
            new(Request(nodes: [Node("node-a"), Node("node-b"), Node("node-c", "zone=c")]), [L2(nodes: "zone=c")], "node-c"),
        ["every node excluded: no eligible node"] =
            new(Request(nodes: [Node("node-a", Excluded), Node("node-b", Excluded)]), [All], Reason: NotAnnouncedReason.NoEligibleNode),
        ["no nodes at all: no eligible node"] = new(Request(nodes: []), [All], Reason: NotAnnouncedReason.NoEligibleNode),

        // §4.1 step 6: Local.
        ["Local: candidates are the nodes with a serving endpoint"] =
            new(Request(policy: TrafficPolicy.Local, endpoints: Eps(Ep("node-c"), Ep("node-a"), Ep("node-b", canServe: false))),
                [All], "node-a,node-c"),
        ["Local: endpoint without an address still makes a candidate (L2 ignores addresses)"] =
            new(Request(policy: TrafficPolicy.Local, endpoints: Eps(Ep("node-c", hasAddress: false))), [All], "node-c"),
        ["Local: ready=false serving=true endpoint counts"] =
            new(Request(policy: TrafficPolicy.Local, endpoints: Eps(Ep("node-c", canServe: EndpointView.CanServe(new() { Ready = false, Serving = true })))),
                [All], "node-c"),
        ["Local: endpoint only on an excluded node -> no local endpoint"] =
            new(Request(policy: TrafficPolicy.Local, nodes: [Node("node-a", Excluded), Node("node-b")], endpoints: Eps(Ep("node-a"))),
                [All], Reason: NotAnnouncedReason.NoLocalEndpoint),
        ["Local: endpoint without nodeName makes no candidate"] =
            new(Request(policy: TrafficPolicy.Local, endpoints: Eps(Ep(null))), [All], Reason: NotAnnouncedReason.NoLocalEndpoint),

        // §4.3 interfaces: union over the ads selecting the winner; none listed = all.
        ["interfaces: one ad lists eth0"] = new(Request(), [L2(interfaces: "eth0")], "node-b,node-a,node-c", Interfaces: "eth0"),
        ["interfaces: union of two ads, sorted"] =
            new(Request(), [L2("ad1", interfaces: "eth1"), L2("ad2", interfaces: "eth2,eth0")], "node-b,node-a,node-c", Interfaces: "eth0,eth1,eth2"),
        ["interfaces: an ad without interfaces means all"] =
            new(Request(), [L2("ad1", interfaces: "eth1"), L2("ad2")], "node-b,node-a,node-c", Interfaces: "*"),
        ["interfaces: an ad not selecting the winner adds nothing"] =
            new(Request(nodes: [Node("node-a", "zone=a"), Node("node-b", "zone=b")]),
                [L2("ad1", nodes: "zone=b", interfaces: "eth0"), L2("ad2", nodes: "zone=a", interfaces: "eth1")], "node-b,node-a", Interfaces: "eth0"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Elect(string name)
    {
        var c = Cases[name];
        var election = L2Planner.Elect(c.Request, c.Ads);

        Assert.Equal(c.Reason, election.Reason);
        Assert.Equal(c.Order ?? "", string.Join(",", election.Candidates));
        Assert.Equal(c.Order?.Split(',')[0], election.Winner);
        if (c.Interfaces is not null) Assert.Equal(c.Interfaces, election.Interfaces!.ToString());
        if (c.Reason is not null) Assert.Null(election.Interfaces);
    }

    // Per-node answers the speaker needs (upstream ShouldAnnounce: "notOwner" for a loser).
    public static TheoryData<string, string, string, NotAnnouncedReason?> ShouldAnnounceCases => new()
    {
        { "the winner announces", "upstream vector: 10.0.0.1 over a,b,c -> b,a,c", "node-b", null },
        { "a loser is not the owner", "upstream vector: 10.0.0.1 over a,b,c -> b,a,c", "node-a", NotAnnouncedReason.NotOwner },
        { "an excluded node says so", "hash winner excluded by label (value \"false\"): next one wins", "node-b", NotAnnouncedReason.NodeExcluded },
        { "a NetworkUnavailable node says so", "hash winner NetworkUnavailable: next one wins", "node-b", NotAnnouncedReason.NodeNetworkUnavailable },
        { "a node outside the ads' nodeSelectors", "ad nodeSelectors restrict candidates", "node-a", NotAnnouncedReason.NodeNotSelected },
        { "a node without a live speaker", "memberlist live set drops nodes without a speaker", "node-b", NotAnnouncedReason.NoSpeaker },
        { "a node unknown to the request", "upstream vector: 10.0.0.1 over a,b,c -> b,a,c", "node-z", NotAnnouncedReason.NoSpeaker },
        { "Local: a node without an endpoint", "Local: candidates are the nodes with a serving endpoint", "node-b", NotAnnouncedReason.NoLocalEndpoint },
        { "service-wide reasons come first", "Cluster with no endpoints at all: nobody (upstream withdraws Cluster too)", "node-b",
            NotAnnouncedReason.NoServingEndpoints },
        { "shared IP refusal reaches every node", "shared IP (metallb.io) with a serviceSelector ad: nobody", "node-a",
            NotAnnouncedReason.SharedIPWithServiceSelector },
    };

    [Theory]
    [MemberData(nameof(ShouldAnnounceCases))]
    public void ShouldAnnounce(string because, string scenario, string node, NotAnnouncedReason? expected)
    {
        var c = Cases[scenario];
        Assert.True(expected == L2Planner.Elect(c.Request, c.Ads).ShouldAnnounce(node), because);
    }

    [Fact]
    public void Elect_reads_the_pools_ads_from_the_config()
    {
        var config = new MetalLbConfig(
            [V4Pool], [], [], new Dictionary<string, BgpCommunity>(),
            new Dictionary<string, IReadOnlyList<L2AdvertisementConfig>> { ["other-pool"] = [All] },
            new Dictionary<string, IReadOnlyList<BgpAdvertisementConfig>>());
        Assert.Equal(NotAnnouncedReason.NoL2Advertisement, L2Planner.Elect(Request(), config).Reason);
    }
}
