using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// The endpoints of one service, flattened from its EndpointSlices, with the questions the
/// L2 and BGP checks ask (docs/upstream-speaker.md §2.1 table).
/// </summary>
public sealed class EndpointView
{
    public static readonly EndpointView Empty = new([]);

    public EndpointView(IReadOnlyList<EndpointInfo> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        Endpoints = endpoints;
    }

    public IReadOnlyList<EndpointInfo> Endpoints { get; }

    /// <summary>
    /// Upstream's EndpointCanServe: ready nil or true serves; otherwise serving=true still serves
    /// (a terminating pod that still answers). No conditions at all counts as ready.
    /// </summary>
    public static bool CanServe(EndpointConditions? conditions) =>
        conditions?.Ready is null or true || conditions.Serving == true;

    /// <summary>
    /// The endpoints of the slices labelled kubernetes.io/service-name = <paramref name="serviceName"/>
    /// in <paramref name="serviceNamespace"/>; other slices are ignored, so callers may pass them all.
    /// </summary>
    public static EndpointView FromSlices(string serviceNamespace, string serviceName, IEnumerable<EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var result = new List<EndpointInfo>();
        foreach (var slice in slices)
        {
            if ((slice.Metadata.Namespace ?? "") != serviceNamespace) continue;
            if (slice.Metadata.Labels?.GetValueOrDefault(EndpointSlice.ServiceNameLabel) != serviceName) continue;
            foreach (var ep in slice.Endpoints ?? [])
            {
                result.Add(new EndpointInfo(
                    string.IsNullOrEmpty(ep.NodeName) ? null : ep.NodeName,
                    CanServe(ep.Conditions),
                    ep.Addresses is { Count: > 0 }));
            }
        }
        return new EndpointView(result);
    }

    // Loops rather than LINQ: a speaker asks these for every service on every resync.

    /// <summary>L2 gate: some endpoint can serve, wherever it is (node name may be empty).</summary>
    public bool AnyServing => Any(null, needsAddress: false);

    /// <summary>BGP Cluster gate: some serving endpoint with at least one address.</summary>
    public bool AnyServingWithAddress => Any(null, needsAddress: true);

    /// <summary>L2 Local candidates: a serving endpoint on the node (addresses not checked, as upstream).</summary>
    public bool ServesOnNode(string node) => Any(node, needsAddress: false);

    /// <summary>BGP Local gate: a serving endpoint with an address on the node.</summary>
    public bool ServesWithAddressOnNode(string node) => Any(node, needsAddress: true);

    /// <summary>Some endpoint that can serve, on <paramref name="node"/> unless null, with an address if asked.</summary>
    private bool Any(string? node, bool needsAddress)
    {
        for (int i = 0; i < Endpoints.Count; i++)
        {
            var e = Endpoints[i];
            if (e.CanServe && (!needsAddress || e.HasAddress) && (node is null || e.NodeName == node)) return true;
        }
        return false;
    }
}
