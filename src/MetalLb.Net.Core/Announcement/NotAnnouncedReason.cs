namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Why a service (or one node for a service) is not announced. Upstream's ShouldAnnounce
/// returns a reason string ("notOwner", "noLocalEndpoints", ...); we return one of these, and
/// <see cref="NotAnnouncedReasonExtensions.Describe"/> turns it into a line for people.
/// </summary>
public enum NotAnnouncedReason
{
    /// <summary>Service type is not LoadBalancer (upstream withdraws).</summary>
    NotLoadBalancer,

    /// <summary>spec.loadBalancerClass belongs to another implementation (docs/upstream-speaker.md §1).</summary>
    LoadBalancerClassMismatch,

    /// <summary>status.loadBalancer.ingress holds no IP yet.</summary>
    NoIngressIp,

    /// <summary>An ingress IP does not parse.</summary>
    InvalidIngressIp,

    /// <summary>No pool contains every ingress IP (upstream's "ipNotAllowed").</summary>
    IpNotAllowed,

    /// <summary>The node's NetworkUnavailable condition is True.</summary>
    NodeNetworkUnavailable,

    /// <summary>The node carries node.kubernetes.io/exclude-from-external-load-balancers.</summary>
    NodeExcluded,

    /// <summary>The node has no live speaker (memberlist does not list it).</summary>
    NoSpeaker,

    /// <summary>No L2Advertisement of the pool applies to the service.</summary>
    NoL2Advertisement,

    /// <summary>No BGPAdvertisement of the pool applies to this node and service.</summary>
    NoBgpAdvertisement,

    /// <summary>No endpoint can serve (ready, or serving while not ready) anywhere.</summary>
    NoServingEndpoints,

    /// <summary>The service shares its IP and an L2 advertisement has serviceSelectors.</summary>
    SharedIPWithServiceSelector,

    /// <summary>The applicable advertisements do not select this node.</summary>
    NodeNotSelected,

    /// <summary>No node is left after eligibility, advertisement and endpoint filtering.</summary>
    NoEligibleNode,

    /// <summary>externalTrafficPolicy Local and no serving endpoint on the node.</summary>
    NoLocalEndpoint,

    /// <summary>L2: another node won the election.</summary>
    NotOwner,

    /// <summary>BGP: the advertisements matching the node disagree on localPref (docs/upstream-speaker.md §6.3).</summary>
    ConflictingAdvertisements,

    /// <summary>BGP: the node may announce but no BGPPeer session on it is sent the prefixes.</summary>
    NoBgpPeer,
}
