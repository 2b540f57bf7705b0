namespace MetalLb.Net.Core.Networking;

/// <summary>An address family. Values double as the AFI numbers of RFC 4760 for readability only.</summary>
public enum IpFamily
{
    IPv4 = 1,
    IPv6 = 2,
}

public static class IpFamilyExtensions
{
    /// <summary>Address width in bits: 32 or 128.</summary>
    public static int Bits(this IpFamily family) => family == IpFamily.IPv4 ? 32 : 128;

    /// <summary>The spelling Kubernetes uses in Service.spec.ipFamilies and MetalLB in its messages.</summary>
    public static string ToKubeString(this IpFamily family) => family == IpFamily.IPv4 ? "IPv4" : "IPv6";
}
