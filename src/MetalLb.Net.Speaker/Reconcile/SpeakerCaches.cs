using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker.Reconcile;

/// <summary>
/// Everything the speaker watches (docs/upstream-speaker.md §1): Services, their EndpointSlices (indexed by
/// Service), Nodes and Namespaces cluster-wide; the metallb.io kinds and Secrets of MetalLB's
/// namespace; the speaker Pods; and the status objects it writes.
/// </summary>
internal sealed record SpeakerCaches(
    Informer<Service> Services,
    Informer<EndpointSlice> Slices,
    Informer<Node> Nodes,
    Informer<Namespace> Namespaces,
    Informer<IPAddressPool> Pools,
    Informer<L2Advertisement> L2Advertisements,
    Informer<BGPAdvertisement> BgpAdvertisements,
    Informer<BGPPeer> Peers,
    Informer<Community> Communities,
    Informer<BFDProfile> BfdProfiles,
    Informer<Secret> Secrets,
    Informer<Pod> Pods,
    Informer<ServiceL2Status> L2Statuses,
    Informer<ServiceBGPStatus> BgpStatuses)
{
    public const string ServiceIndex = "service";

    public static SpeakerCaches Create(KubeClient client, SpeakerOptions options, InformerGroup group, TimeProvider time, ILogger log)
    {
        string ns = options.Namespace;
        Informer<T> Add<T>(string? inNamespace, string name) where T : Api.Meta.KubeObject =>
            group.Add(new Informer<T>(client.Resource<T>(), inNamespace, time: time, logger: log), name);
        var caches = new SpeakerCaches(
            Add<Service>(null, "services"),
            Add<EndpointSlice>(null, "endpointslices.discovery.k8s.io"),
            Add<Node>(null, "nodes"),
            Add<Namespace>(null, "namespaces"),
            Add<IPAddressPool>(ns, "ipaddresspools.metallb.io"),
            Add<L2Advertisement>(ns, "l2advertisements.metallb.io"),
            Add<BGPAdvertisement>(ns, "bgpadvertisements.metallb.io"),
            Add<BGPPeer>(ns, "bgppeers.metallb.io"),
            Add<Community>(ns, "communities.metallb.io"),
            Add<BFDProfile>(ns, "bfdprofiles.metallb.io"),
            Add<Secret>(ns, "secrets"),
            Add<Pod>(options.MemberlistNamespace ?? ns, "pods"),
            Add<ServiceL2Status>(ns, "servicel2statuses.metallb.io"),
            Add<ServiceBGPStatus>(ns, "servicebgpstatuses.metallb.io"));
        caches.Slices.Cache.AddIndex(ServiceIndex, s =>
            s.Metadata.Labels?.GetValueOrDefault(EndpointSlice.ServiceNameLabel) is { } svc ? [$"{s.Metadata.Namespace}/{svc}"] : []);
        return caches;
    }

    /// <summary>The configuration objects as Core reads them, before the per-node filter.</summary>
    public ConfigInput ConfigInput(BgpMode mode) => new()
    {
        Pools = Pools.Cache.List(),
        Communities = Communities.Cache.List(),
        L2Advertisements = L2Advertisements.Cache.List(),
        BgpAdvertisements = BgpAdvertisements.Cache.List(),
        Peers = Peers.Cache.List(),
        BfdProfiles = BfdProfiles.Cache.List(),
        Secrets = Secrets.Cache.List(),
        Nodes = Nodes.Cache.List(),
        Namespaces = Namespaces.Cache.List(),
        Mode = mode,
    };

    public IReadOnlyList<EndpointSlice> SlicesOf(Service service) =>
        Slices.Cache.ByIndex(ServiceIndex, $"{service.Metadata.Namespace}/{service.Metadata.Name}");
}
