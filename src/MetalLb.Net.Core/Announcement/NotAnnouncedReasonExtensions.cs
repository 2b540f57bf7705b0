namespace MetalLb.Net.Core.Announcement;

/// <summary>One-line explanations for <see cref="NotAnnouncedReason"/>, for plan text output and events.</summary>
public static class NotAnnouncedReasonExtensions
{
    public static string Describe(this NotAnnouncedReason reason) => reason switch
    {
        NotAnnouncedReason.NotLoadBalancer => "the service is not of type LoadBalancer",
        NotAnnouncedReason.LoadBalancerClassMismatch => "the service's loadBalancerClass is handled by another load balancer",
        NotAnnouncedReason.NoIngressIp => "the service has no ingress IP in its status yet",
        NotAnnouncedReason.InvalidIngressIp => "an ingress IP in the service's status does not parse",
        NotAnnouncedReason.IpNotAllowed => "no IPAddressPool contains all of the service's IPs",
        NotAnnouncedReason.NodeNetworkUnavailable => "the node's NetworkUnavailable condition is True",
        NotAnnouncedReason.NodeExcluded => "the node is labelled node.kubernetes.io/exclude-from-external-load-balancers",
        NotAnnouncedReason.NoSpeaker => "no live speaker runs on the node",
        NotAnnouncedReason.NoL2Advertisement => "no L2Advertisement of the pool applies to this service",
        NotAnnouncedReason.NoBgpAdvertisement => "no BGPAdvertisement of the pool applies to this node and service",
        NotAnnouncedReason.NoServingEndpoints => "the service has no serving endpoint",
        NotAnnouncedReason.SharedIPWithServiceSelector =>
            "the service shares its IP (allow-shared-ip) and an L2Advertisement uses serviceSelectors",
        NotAnnouncedReason.NodeNotSelected => "the advertisements' nodeSelectors do not select the node",
        NotAnnouncedReason.NoEligibleNode => "no eligible node may announce the service",
        NotAnnouncedReason.NoLocalEndpoint => "externalTrafficPolicy is Local and the node has no serving endpoint",
        NotAnnouncedReason.NotOwner => "another node was elected to announce the IP",
        NotAnnouncedReason.ConflictingAdvertisements =>
            "the BGPAdvertisements matching the node and service have different localPref",
        NotAnnouncedReason.NoBgpPeer => "no BGPPeer on the node receives the service's prefixes",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
