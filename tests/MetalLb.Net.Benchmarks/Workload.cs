using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Benchmarks;

/// <summary>Synthetic clusters: services, nodes, endpoints and a MetalLB configuration.</summary>
internal static class Workload
{
    public static Pool Pool(string name, string cidr) => new(
        name,
        [AddressBlock.TryParse(cidr, out var block, out var error) ? block : throw new ArgumentException(error)],
        AutoAssign: true, AvoidBuggyIPs: false, Allocation: null, Labels: new Dictionary<string, string>());

    public static Service Service(string name, bool ipv6) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ServiceSpec
        {
            Type = "LoadBalancer",
            ClusterIPs = [ipv6 ? "fd00::1" : "10.96.0.1"],
            Ports = [new ServicePort { Port = 80 }],
            Selector = new Dictionary<string, string> { ["app"] = name },
        },
    };

    public static List<KubeObject> Cluster(int services, int nodes)
    {
        var objects = new List<KubeObject>
        {
            new IPAddressPool { Metadata = Meta("pool"), Spec = new IPAddressPoolSpec { Addresses = ["10.0.0.0/16"] } },
            new L2Advertisement { Metadata = Meta("l2") },
            new BGPAdvertisement { Metadata = Meta("bgp"), Spec = new BGPAdvertisementSpec { Communities = ["65535:65282"] } },
            new BGPPeer { Metadata = Meta("tor-1"), Spec = new BGPPeerSpec { MyASN = 64500, PeerASN = 64501, PeerAddress = "192.0.2.1" } },
            new BGPPeer { Metadata = Meta("tor-2"), Spec = new BGPPeerSpec { MyASN = 64500, PeerASN = 64501, PeerAddress = "192.0.2.2" } },
        };
        for (int n = 0; n < nodes; n++)
            objects.Add(new Node { Metadata = new ObjectMeta { Name = $"node-{n:D3}", Labels = new() { ["rack"] = $"r{n % 10}" } } });
        for (int s = 0; s < services; s++)
        {
            var svc = Service($"svc-{s}", ipv6: false);
            svc.Spec.ExternalTrafficPolicy = s % 2 == 0 ? "Local" : "Cluster";
            objects.Add(svc);
            objects.Add(new EndpointSlice
            {
                Metadata = new ObjectMeta { Name = $"svc-{s}-x", Namespace = "default", Labels = new() { [EndpointSlice.ServiceNameLabel] = $"svc-{s}" } },
                Endpoints = [.. Enumerable.Range(0, 3).Select(e => new Endpoint
                {
                    Addresses = [$"10.244.{e}.{s % 250 + 1}"],
                    NodeName = $"node-{(s * 7 + e * 31) % nodes:D3}",
                    Conditions = new EndpointConditions { Ready = true },
                })],
            });
        }
        return objects;
    }

    /// <summary>
    /// Every Service gets one distinct IP of the pool in its status, as the controller would
    /// have written: what a speaker reads.
    /// </summary>
    public static void GiveIngress(List<KubeObject> objects)
    {
        int i = 0;
        foreach (var svc in objects.OfType<Service>())
        {
            svc.Status = new ServiceStatus
            {
                LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = $"10.0.{i / 256}.{i % 256}" }] },
            };
            i++;
        }
    }

    private static ObjectMeta Meta(string name) => new() { Name = name, Namespace = "metallb-system" };
}
