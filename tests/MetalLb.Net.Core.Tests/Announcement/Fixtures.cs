using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Tests.Announcement;

/// <summary>Small builders so each table row reads as the situation it describes.</summary>
internal static class Fixtures
{
    /// <summary>"k=v,k2=v2" -> a dictionary (empty string -> no labels).</summary>
    public static Dictionary<string, string> Labels(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");

    public static Selector Sel(string matchLabels)
    {
        Assert.True(Selector.TryCreate(new LabelSelector { MatchLabels = Labels(matchLabels) }, out var s, out var error), error);
        return s;
    }

    /// <summary>A node with labels and conditions ("NetworkUnavailable=True,Ready=False").</summary>
    public static Node Node(string name, string labels = "", string conditions = "") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = Labels(labels) },
        Status = new NodeStatus
        {
            Conditions = Labels(conditions).Select(c => new NodeCondition { Type = c.Key, Status = c.Value }).ToList(),
        },
    };

    public static Node[] Nodes(params string[] names) => names.Select(n => Node(n)).ToArray();

    public static Pool Pool(string name, params string[] cidrs) => new(
        name,
        cidrs.Select(c => new AddressBlock(c, [IpPrefix.Parse(c)])).ToList(),
        AutoAssign: true, AvoidBuggyIPs: false, Allocation: null,
        Labels: new Dictionary<string, string>());

    public static readonly Pool V4Pool = Pool("pool-a", "10.0.0.0/8");
    public static readonly Pool DualPool = Pool("pool-dual", "10.0.0.0/8", "fd00::/64");

    /// <summary>A serving endpoint with an address on <paramref name="node"/> (null = no nodeName).</summary>
    public static EndpointInfo Ep(string? node, bool canServe = true, bool hasAddress = true) => new(node, canServe, hasAddress);

    public static EndpointView Eps(params EndpointInfo[] endpoints) => new(endpoints);

    public static readonly EndpointView OneServing = Eps(Ep("node-a"));

    public static AnnouncementRequest Request(
        string ips = "10.0.0.1", IReadOnlyList<Node>? nodes = null, EndpointView? endpoints = null,
        TrafficPolicy policy = TrafficPolicy.Cluster, string labels = "app=web", string annotations = "",
        Pool? pool = null) => new(
        "default", "web", Labels(labels), Labels(annotations), policy,
        ips.Split(',').Select(IpAddress.Parse).ToList(),
        pool ?? V4Pool,
        nodes ?? Nodes("node-a", "node-b", "node-c"),
        endpoints ?? OneServing);

    public static L2AdvertisementConfig L2(
        string name = "l2", string nodes = "", string services = "", string interfaces = "",
        params PreferredNode[] preferred) => new(
        name,
        nodes.Length == 0 ? [] : nodes.Split('|').Select(Sel).ToList(),
        services.Length == 0 ? [] : services.Split('|').Select(Sel).ToList(),
        interfaces.Split(',', StringSplitOptions.RemoveEmptyEntries),
        preferred);

    public static PreferredNode Prefer(int weight, string labels) => new(weight, Sel(labels));

    public static BgpAdvertisementConfig Bgp(
        string name = "bgp", int aggregation = 32, int aggregationV6 = 128, uint localPref = 0,
        string communities = "", string nodes = "", string peers = "", string services = "") => new(
        name, aggregation, aggregationV6, localPref,
        communities.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseCommunity).ToList(),
        nodes.Length == 0 ? [] : nodes.Split('|').Select(Sel).ToList(),
        peers.Split(',', StringSplitOptions.RemoveEmptyEntries),
        services.Length == 0 ? [] : services.Split('|').Select(Sel).ToList());

    private static BgpCommunity ParseCommunity(string text)
    {
        var parts = text.Split(':');
        return parts[0] == "large"
            ? BgpCommunity.Large(uint.Parse(parts[1]), uint.Parse(parts[2]), uint.Parse(parts[3]))
            : BgpCommunity.Standard(ushort.Parse(parts[0]), ushort.Parse(parts[1]));
    }

    /// <summary>A peer: eBGP unless <paramref name="peerAsn"/> equals 64500 (our ASN).</summary>
    public static PeerConfig Peer(
        string name, string? address = "192.168.0.1", uint peerAsn = 64501, string nodes = "",
        bool dualStack = false, string? iface = null) => new(
        name, MyAsn: 64500, PeerAsn: peerAsn, DynamicAsn: null, LocalAsn: null,
        Address: address is null ? null : IpAddress.Parse(address), Interface: iface,
        SourceAddress: null, Port: 179, HoldTime: null, KeepaliveTime: null, ConnectTime: null,
        RouterId: null, NodeSelectors: nodes.Length == 0 ? [] : nodes.Split('|').Select(Sel).ToList(),
        Password: null, BfdProfile: null, EnableGracefulRestart: false, EbgpMultiHop: false, Vrf: null,
        DisableMP: false, DualStackAddressFamily: dualStack);
}
