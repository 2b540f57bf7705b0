namespace MetalLb.Net.Core.Allocation;

/// <summary>
/// The Service annotations MetalLB reads and writes. Both spellings are honoured; when the
/// metallb.io key is present, even empty, it wins over metallb.universe.tf (controller.md §4.1).
/// </summary>
public static class Annotations
{
    public const string AddressPool = "metallb.io/address-pool";
    public const string LoadBalancerIPs = "metallb.io/loadBalancerIPs";
    public const string AllowSharedIP = "metallb.io/allow-shared-ip";
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

    /// <summary>Deprecated metallb.universe.tf/* keys present (each earns a deprecatedAnnotation warning).</summary>
    public static IEnumerable<string> Deprecated(IReadOnlyDictionary<string, string>? annotations) =>
        annotations?.Keys.Where(k => k.StartsWith(DeprecatedPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
        ?? Enumerable.Empty<string>();
}
