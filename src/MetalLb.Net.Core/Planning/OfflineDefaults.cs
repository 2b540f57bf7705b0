using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Core.Planning;

/// <summary>
/// Manifests written by people rarely carry spec.clusterIPs: the API server fills them in, and
/// upstream's controller takes the service's family from them. Offline we fill in what the API
/// server of a dual-stack cluster would choose, so the family is right: spec.ipFamilies when
/// given, else IPv4 for SingleStack and IPv4 + IPv6 for the dual-stack policies. The addresses
/// themselves are placeholders used for nothing but their family.
/// </summary>
public static class OfflineDefaults
{
    public static Service WithClusterIPs(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Spec.ClusterIPs is { Count: > 0 } || !string.IsNullOrEmpty(service.Spec.ClusterIP))
            return service;
        var families = service.Spec.IPFamilies is { Count: > 0 } given
            ? given.ToList()
            : service.Spec.IPFamilyPolicy is "PreferDualStack" or "RequireDualStack" ? ["IPv4", "IPv6"] : ["IPv4"];
        if (service.Spec.IPFamilyPolicy is "PreferDualStack" or "RequireDualStack" && families.Count == 1)
            families.Add(families[0] == "IPv4" ? "IPv6" : "IPv4");
        if (service.Spec.IPFamilyPolicy is null or "SingleStack")
            families = [families[0]];
        var copy = service.DeepClone();
        copy.Spec.ClusterIPs = families.Select(f => f == "IPv6" ? "::" : "0.0.0.0").ToList();
        copy.Spec.IPFamilies = families;
        return copy;
    }
}
