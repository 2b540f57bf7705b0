using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// The stored configuration the webhooks judge against: every metallb.io kind and the Secrets
/// of MetalLB's namespace, Nodes and Namespaces, kept in informer caches so an admission
/// reads memory, not the API server. Upstream lists on every request; a cache may trail a
/// write by the watch latency (milliseconds), which docs/webhooks.md mentions.
/// </summary>
internal sealed class WebhookCaches : IAsyncDisposable
{
    private readonly InformerGroup _group;
    private readonly Informer<IPAddressPool> _pools;
    private readonly Informer<Community> _communities;
    private readonly Informer<L2Advertisement> _l2;
    private readonly Informer<BGPAdvertisement> _bgp;
    private readonly Informer<BGPPeer> _peers;
    private readonly Informer<BFDProfile> _bfd;
    private readonly Informer<Secret> _secrets;
    private readonly Informer<Node> _nodes;
    private readonly Informer<Namespace> _namespaces;
    private readonly BgpMode _mode;

    public WebhookCaches(KubeClient client, string ns, BgpMode mode, TimeProvider time, ILogger log)
    {
        _mode = mode;
        _group = new InformerGroup(time);
        _pools = _group.Add(new Informer<IPAddressPool>(client.Resource<IPAddressPool>(), ns, time: time, logger: log), "ipaddresspools.metallb.io");
        _communities = _group.Add(new Informer<Community>(client.Resource<Community>(), ns, time: time, logger: log), "communities.metallb.io");
        _l2 = _group.Add(new Informer<L2Advertisement>(client.Resource<L2Advertisement>(), ns, time: time, logger: log), "l2advertisements.metallb.io");
        _bgp = _group.Add(new Informer<BGPAdvertisement>(client.Resource<BGPAdvertisement>(), ns, time: time, logger: log), "bgpadvertisements.metallb.io");
        _peers = _group.Add(new Informer<BGPPeer>(client.Resource<BGPPeer>(), ns, time: time, logger: log), "bgppeers.metallb.io");
        _bfd = _group.Add(new Informer<BFDProfile>(client.Resource<BFDProfile>(), ns, time: time, logger: log), "bfdprofiles.metallb.io");
        _secrets = _group.Add(new Informer<Secret>(client.Resource<Secret>(), ns, time: time, logger: log), "secrets");
        _nodes = _group.Add(new Informer<Node>(client.Resource<Node>(), time: time, logger: log), "nodes");
        _namespaces = _group.Add(new Informer<Namespace>(client.Resource<Namespace>(), time: time, logger: log), "namespaces");
    }

    public InformerGroup Group => _group;

    public void Start(CancellationToken ct) => _group.Start(ct);

    public ConfigInput Snapshot() => new()
    {
        Pools = _pools.Cache.List(),
        Communities = _communities.Cache.List(),
        L2Advertisements = _l2.Cache.List(),
        BgpAdvertisements = _bgp.Cache.List(),
        Peers = _peers.Cache.List(),
        BfdProfiles = _bfd.Cache.List(),
        Secrets = _secrets.Cache.List(),
        Nodes = _nodes.Cache.List(),
        Namespaces = _namespaces.Cache.List(),
        Mode = _mode,
    };

    public ValueTask DisposeAsync() => _group.DisposeAsync();
}
