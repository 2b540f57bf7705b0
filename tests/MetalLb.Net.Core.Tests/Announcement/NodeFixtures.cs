using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Tests.Announcement;

/// <summary>Builders for <see cref="NodeAnnouncer"/> tests: API objects in, as a speaker gets them.</summary>
internal static class NodeFixtures
{
    public static MetalLbConfig ConfigOf(
        IReadOnlyList<L2AdvertisementConfig>? l2 = null, IReadOnlyList<BgpAdvertisementConfig>? bgp = null,
        IReadOnlyList<PeerConfig>? peers = null, Pool? pool = null)
    {
        pool ??= Fixtures.DualPool;
        return new MetalLbConfig(
            [pool], peers ?? [], [], new Dictionary<string, BgpCommunity>(),
            new Dictionary<string, IReadOnlyList<L2AdvertisementConfig>> { [pool.Name] = l2 ?? [] },
            new Dictionary<string, IReadOnlyList<BgpAdvertisementConfig>> { [pool.Name] = bgp ?? [] });
    }

    /// <summary>A LoadBalancer Service "default/web" (labels app=web) holding <paramref name="ips"/> ("a,b"; "" = none).</summary>
    public static Service Svc(
        string ips = "10.0.0.1", string policy = "Cluster", string annotations = "", string type = "LoadBalancer", string name = "web") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = Fixtures.Labels("app=web"), Annotations = Fixtures.Labels(annotations) },
        Spec = new ServiceSpec { Type = type, ExternalTrafficPolicy = policy },
        Status = new ServiceStatus
        {
            LoadBalancer = new LoadBalancerStatus
            {
                Ingress = ips.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ip => new LoadBalancerIngress { IP = ip }).ToList(),
            },
        },
    };

    /// <summary>One slice of default/web: a ready endpoint with an address on each node named ("" = no nodeName).</summary>
    public static EndpointSlice[] EndpointsOn(params string[] nodes) =>
    [
        new EndpointSlice
        {
            Metadata = new ObjectMeta { Name = "web-1", Namespace = "default", Labels = new() { [EndpointSlice.ServiceNameLabel] = "web" } },
            Endpoints = nodes.Select(n => new Endpoint
            {
                Addresses = ["10.244.0.1"],
                NodeName = n.Length == 0 ? null : n,
                Conditions = new EndpointConditions { Ready = true },
            }).ToList(),
        },
    ];

    public static SpeakerScope Scope(
        string node, MetalLbConfig config, IReadOnlyList<Node>? nodes = null, IReadOnlySet<string>? live = null, bool ignoreExclude = false) =>
        new(node, config, nodes ?? Fixtures.Nodes("node-a", "node-b", "node-c"), live, ignoreExclude);

    public static NodeAnnouncement Decide(SpeakerScope scope, Service? service = null, EndpointSlice[]? slices = null) =>
        NodeAnnouncer.Decide(scope, service ?? Svc(), slices ?? EndpointsOn("node-a"));

    /// <summary>"peer prefix localPref communities" as the table rows write routes.</summary>
    public static string Format(NodeRoute r) => $"{r.Peer} {r.Prefix} {r.LocalPref} {string.Join(",", r.Communities)}";
}
