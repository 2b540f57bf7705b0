namespace MetalLb.Net.Core.Allocation;

/// <summary>spec.ipFamilyPolicy. Unset means SingleStack.</summary>
public enum IPFamilyPolicy
{
    SingleStack,
    PreferDualStack,
    RequireDualStack,
}

/// <summary>The family a service asks for, derived from its cluster IPs (§4.3).</summary>
public enum ServiceFamily
{
    IPv4,
    IPv6,
    Dual,
}
