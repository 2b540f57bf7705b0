using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// The stored configuration the webhooks judge against. The metallb.io objects and Secrets of
/// MetalLB's namespace are listed from the API server on every admission, as upstream's
/// webhooks do: `kubectl apply -f dir/` writes one object right after the other, and a cache
/// that trails the previous write by the watch latency would let two overlapping pools in.
/// Nodes and Namespaces (label selectors, local-preference rules), which change rarely and
/// are not written in the same breath as a configuration, come from informer caches.
/// </summary>
internal sealed class WebhookCaches : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly string _ns;
    private readonly InformerGroup _group;
    private readonly Informer<Node> _nodes;
    private readonly Informer<Namespace> _namespaces;
    private readonly BgpMode _mode;

    public WebhookCaches(KubeClient client, string ns, BgpMode mode, TimeProvider time, ILogger log)
    {
        _client = client;
        _ns = ns;
        _mode = mode;
        _group = new InformerGroup(time);
        _nodes = _group.Add(new Informer<Node>(client.Resource<Node>(), time: time, logger: log), "nodes");
        _namespaces = _group.Add(new Informer<Namespace>(client.Resource<Namespace>(), time: time, logger: log), "namespaces");
    }

    public InformerGroup Group => _group;

    public void Start(CancellationToken ct) => _group.Start(ct);

    /// <summary>The configuration as stored now; API failures propagate (the call fails, failurePolicy decides).</summary>
    public async Task<ConfigInput> SnapshotAsync(CancellationToken ct)
    {
        var pools = List<IPAddressPool>(ct);
        var communities = List<Community>(ct);
        var l2 = List<L2Advertisement>(ct);
        var bgp = List<BGPAdvertisement>(ct);
        var peers = List<BGPPeer>(ct);
        var bfd = List<BFDProfile>(ct);
        var secrets = List<Secret>(ct);
        await Task.WhenAll(pools, communities, l2, bgp, peers, bfd, secrets).ConfigureAwait(false);
        return new ConfigInput
        {
            Pools = await pools.ConfigureAwait(false),
            Communities = await communities.ConfigureAwait(false),
            L2Advertisements = await l2.ConfigureAwait(false),
            BgpAdvertisements = await bgp.ConfigureAwait(false),
            Peers = await peers.ConfigureAwait(false),
            BfdProfiles = await bfd.ConfigureAwait(false),
            Secrets = await secrets.ConfigureAwait(false),
            Nodes = _nodes.Cache.List(),
            Namespaces = _namespaces.Cache.List(),
            Mode = _mode,
        };
    }

    private async Task<IReadOnlyList<T>> List<T>(CancellationToken ct) where T : KubeObject =>
        (await _client.Resource<T>().ListAllAsync(_ns, ct: ct).ConfigureAwait(false)).Items;

    public ValueTask DisposeAsync() => _group.DisposeAsync();
}
