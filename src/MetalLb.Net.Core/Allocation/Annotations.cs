namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// The Service annotations MetalLB reads and writes. Both spellings are honoured; when the
/// metallb.io key is present, even empty, it wins over metallb.universe.tf (docs/upstream-controller.md §4.1).
/// </summary>
public static class Annotations
{
    public const string AddressPool = "metallb.io/address-pool";
    public const string LoadBalancerIPs = "metallb.io/loadBalancerIPs";
    public const string AllowSharedIP = "metallb.io/allow-shared-ip";
    public const string LegacyAllowSharedIP = DeprecatedPrefix + "allow-shared-ip";
    public const string IPAllocatedFromPool = "metallb.io/ip-allocated-from-pool";
    public const string DeprecatedPrefix = "metallb.universe.tf/";

    /// <summary>The value of a metallb annotation under either spelling; empty counts as unset.</summary>
    public static string? Get(IReadOnlyDictionary<string, string>? annotations, string key)
    {
        if (annotations is null) return null;
        if (annotations.TryGetValue(key, out var value))
            return string.IsNullOrEmpty(value) ? null : value;
        var legacy = DeprecatedPrefix + key["metallb.io/".Length..];
        return annotations.TryGetValue(legacy, out value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    // allow-shared-ip is read two ways, because upstream's controller and speaker read it two
    // ways. Both start from the metallb.io key, which wins whenever present, even empty.

    /// <summary>
    /// The controller's sharing key (upstream's SharingKey): the value, where empty means the
    /// service shares its IP with nobody, so null. An empty metallb.io value hides the legacy one.
    /// </summary>
    public static string? SharingKeyForAllocation(IReadOnlyDictionary<string, string>? annotations) =>
        Get(annotations, AllowSharedIP);

    /// <summary>
    /// The speaker's view (upstream's serviceHasSharedIP, docs/upstream-speaker.md §4.1 step 3): the annotation
    /// is there under either spelling, even empty, so the service counts as sharing and L2 refuses
    /// advertisements with serviceSelectors. Null only when neither key is present.
    /// </summary>
    public static string? SharingKeyForAnnouncement(IReadOnlyDictionary<string, string>? annotations) =>
        annotations is null ? null
        : annotations.TryGetValue(AllowSharedIP, out var key) ? key
        : annotations.GetValueOrDefault(LegacyAllowSharedIP);

    /// <summary>Deprecated metallb.universe.tf/* keys present (each earns a deprecatedAnnotation warning).</summary>
    public static IEnumerable<string> Deprecated(IReadOnlyDictionary<string, string>? annotations) =>
        annotations?.Keys.Where(k => k.StartsWith(DeprecatedPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
        ?? Enumerable.Empty<string>();
}
