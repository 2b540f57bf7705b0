using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Announcement;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;
using MetalLb.Net.TestKit.ClusterLab;

namespace MetalLb.Net.Speaker.Tests;

/// <summary>
/// What a user applies to the lab (pools, advertisements, peers, Services with endpoints) and
/// what they read back (the Service's IPs, status objects, events), in the lab's terms.
/// </summary>
internal sealed class Scenario(ClusterLab lab)
{
    public const string Ns = ClusterLab.MetalLbNamespace;
    public const string AppNs = "default";

    /// <summary>L2 addresses on the lab's LAN, so the client resolves them as neighbours.</summary>
    public static readonly string[] L2Addresses = ["192.0.2.100-192.0.2.119", "2001:db8::100-2001:db8::11f"];

    /// <summary>BGP addresses off the LAN: only the router's routes lead there.</summary>
    public static readonly string[] BgpAddresses = ["203.0.113.0/24"];

    public ClusterLab Lab { get; } = lab;

    public KubeClient Api => Lab.Api;

    public Task<IPAddressPool> PoolAsync(string name, params string[] addresses) =>
        Api.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Spec = new IPAddressPoolSpec { Addresses = [.. addresses] },
        });

    public Task<L2Advertisement> L2AdvertisementAsync(string name, L2AdvertisementSpec? spec = null) =>
        Api.Resource<L2Advertisement>().CreateAsync(new L2Advertisement
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Spec = spec ?? new L2AdvertisementSpec(),
        });

    /// <summary>A BGPPeer to the lab's router as its FRR config expects (ASNs, address), edited by <paramref name="edit"/>.</summary>
    public Task<BGPPeer> BgpPeerAsync(string name, Action<BGPPeerSpec>? edit = null)
    {
        var router = Lab.Router ?? throw new InvalidOperationException("the lab runs without a router");
        var spec = new BGPPeerSpec
        {
            MyASN = router.Options.NodeAsn,
            PeerASN = router.Options.Asn,
            PeerAddress = router.Host.IPv4,
            HoldTime = "9s",
        };
        edit?.Invoke(spec);
        return Api.Resource<BGPPeer>().CreateAsync(new BGPPeer { Metadata = new ObjectMeta { Name = name, Namespace = Ns }, Spec = spec });
    }

    /// <summary>A BFDProfile with these timers (milliseconds) and multiplier.</summary>
    public Task<BFDProfile> BfdProfileAsync(string name, uint intervalMs, uint multiplier) =>
        Api.Resource<BFDProfile>().CreateAsync(new BFDProfile
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Spec = new BFDProfileSpec { ReceiveInterval = intervalMs, TransmitInterval = intervalMs, DetectMultiplier = multiplier },
        });

    public Task<BGPAdvertisement> BgpAdvertisementAsync(string name, BGPAdvertisementSpec? spec = null) =>
        Api.Resource<BGPAdvertisement>().CreateAsync(new BGPAdvertisement
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Spec = spec ?? new BGPAdvertisementSpec(),
        });

    /// <summary>
    /// A LoadBalancer Service asking for <paramref name="pool"/>, and its EndpointSlice with one
    /// ready endpoint on each node of <paramref name="endpointsOn"/> (every node when null), as
    /// the endpoint controller would write it.
    /// </summary>
    /// <param name="ip">An address to ask for (metallb.io/loadBalancerIPs), or null for any of the pool's.</param>
    public async Task<Service> ServiceAsync(string name, string pool, bool dualStack = false, bool local = false,
        IEnumerable<LabNode>? endpointsOn = null, string? ip = null)
    {
        var annotations = new Dictionary<string, string> { ["metallb.io/address-pool"] = pool };
        if (ip is not null)
            annotations["metallb.io/loadBalancerIPs"] = ip;
        var service = await Api.Resource<Service>().CreateAsync(new Service
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = AppNs,
                Annotations = annotations,
            },
            Spec = new ServiceSpec
            {
                Type = "LoadBalancer",
                Ports = [new ServicePort { Name = "http", Port = 80, Protocol = "TCP" }],
                Selector = new Dictionary<string, string> { ["app"] = name },
                ExternalTrafficPolicy = local ? "Local" : "Cluster",
                IPFamilyPolicy = dualStack ? "RequireDualStack" : "SingleStack",
                IPFamilies = dualStack ? ["IPv4", "IPv6"] : ["IPv4"],
            },
        });
        await SetEndpointsAsync(name, endpointsOn ?? Lab.Nodes);
        return service;
    }

    /// <summary>Replaces the Service's EndpointSlice: one ready endpoint per node given (none = no endpoints).</summary>
    public async Task SetEndpointsAsync(string service, IEnumerable<LabNode> nodes)
    {
        var slices = Api.Resource<EndpointSlice>();
        string sliceName = service + "-lab";
        await slices.DeleteAsync(AppNs, sliceName);
        int i = 0;
        await slices.CreateAsync(new EndpointSlice
        {
            Metadata = new ObjectMeta
            {
                Name = sliceName,
                Namespace = AppNs,
                Labels = new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = service },
            },
            AddressType = "IPv4",
            Endpoints = [.. nodes.Select(n => new Endpoint
            {
                Addresses = [$"198.51.100.{++i}"],
                NodeName = n.Name,
                Conditions = new EndpointConditions { Ready = true, Serving = true, Terminating = false },
            })],
            Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
        });
    }

    /// <summary>Waits for the controller to give the Service its IPs; returns them in status order.</summary>
    public async Task<IReadOnlyList<string>> IPsAsync(string name, int count = 1)
    {
        return await Wait.ForAsync(async () =>
            {
                var s = await Api.Resource<Service>().GetAsync(AppNs, name);
                return (IReadOnlyList<string>)[.. (s.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.IP).OfType<string>()];
            }, ips => ips.Count >= count, $"the controller gives {AppNs}/{name} {count} IP(s)", () => Lab.Describe(20));
    }

    /// <summary>
    /// The L2 election order of <paramref name="nodes"/> for a Service whose first IP is
    /// <paramref name="ip"/>, by Core's rule (no preferences: SHA-256 of "node#ip", ascending).
    /// </summary>
    public static IReadOnlyList<string> ElectionOrder(IEnumerable<string> nodes, string ip) =>
        [.. nodes.OrderBy(n => L2Planner.Hash(n, ip), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))];

    public IReadOnlyList<LabNode> ElectionOrder(string ip, IEnumerable<LabNode>? candidates = null) =>
        [.. ElectionOrder((candidates ?? Lab.Nodes).Select(n => n.Name), ip).Select(Lab.Node)];

    /// <summary>The first address of the L2 pool for which <paramref name="first"/> tops Core's election order over every lab node.</summary>
    public string AddressWon(LabNode first) =>
        Enumerable.Range(100, 20).Select(i => $"192.0.2.{i}").First(ip => ElectionOrder(ip)[0] == first);

    /// <summary>A basic-auth Secret holding a BGP password, as BGPPeer.passwordSecret wants it.</summary>
    public Task<Secret> PasswordSecretAsync(string name, string password) =>
        Api.Resource<Secret>().CreateAsync(new Secret
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Ns },
            Type = "kubernetes.io/basic-auth",
            Data = new Dictionary<string, string> { ["password"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)) },
        });

    public async Task<IReadOnlyList<ServiceL2Status>> L2StatusesAsync(string service) =>
        [.. (await Api.Resource<ServiceL2Status>().ListAsync(Ns)).Items.Where(s => s.Status?.ServiceName == service)];

    public async Task<IReadOnlyList<ServiceBGPStatus>> BgpStatusesAsync(string service) =>
        [.. (await Api.Resource<ServiceBGPStatus>().ListAsync(Ns)).Items.Where(s => s.Status?.ServiceName == service)];

    public async Task<IReadOnlyList<Event>> EventsAsync(string involvedName, string ns = AppNs) =>
        [.. (await Api.Resource<Event>().ListAsync(ns)).Items.Where(e => e.InvolvedObject.Name == involvedName)];

    /// <summary>The speaker's ConfigurationState (`speaker-NODE`), or null while there is none.</summary>
    public async Task<ConfigurationState?> ConfigurationStateAsync(LabNode node)
    {
        try
        {
            return await Api.Resource<ConfigurationState>().GetAsync(Ns, "speaker-" + node.Name);
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Waits until the client resolves <paramref name="ip"/> to exactly <paramref name="node"/>'s MAC.</summary>
    public Task WaitAnsweredByAsync(string ip, LabNode node, TimeSpan? deadline = null) =>
        Wait.ForAsync(() => Lab.Client.WhoHas(ip), mac => mac == node.Mac, $"{ip} answered by {node}",
            () => Lab.Describe(30), deadline);

    /// <summary>Names the node a MAC belongs to, for messages.</summary>
    public string Describe(string? mac) => mac is null ? "nobody" : Lab.NodeByMac(mac)?.ToString() ?? mac;
}
