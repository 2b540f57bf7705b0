using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Allocation.AllocationFixtures;

namespace MetalLb.Net.Core.Tests.Allocation;

/// <summary>
/// One allocation scenario: the pools, then services converged in order, each with what it
/// must end up with: its IPs, or the reason it is pending.
/// </summary>
public sealed record Scenario(Pool[] Pools, params Step[] Steps);

public sealed record Step(Service Service, string[]? Ips = null, PendingReason? Pending = null, string? LbClass = null, string? Event = null);

public static class ConvergeCases
{
    private static readonly Pool A = Pool("a", "192.0.2.0/29");
    private static readonly Pool B = Pool("b", "198.51.100.0/29");
    private static readonly Pool Dual = Pool("dual", "203.0.113.0/29", "2001:db8::/125");
    private static readonly Pool V6 = Pool("v6", "2001:db8:1::/125");

    public static TheoryData<string, Scenario> Cases => new()
    {
        { "§5.5 the network address is an ordinary address and comes first",
            new([A], new Step(Svc("s1"), ["192.0.2.0"])) },
        { "§5.5 avoidBuggyIPs skips .0 (and .255)",
            new([A with { AvoidBuggyIPs = true }], new Step(Svc("s1"), ["192.0.2.1"])) },
        { "§5.5 CIDRs are walked in spec.addresses order, not numerically",
            new([Pool("p", "198.51.100.8/30", "192.0.2.0/30")], new Step(Svc("s1"), ["198.51.100.8"])) },
        { "§5.5 a from-to range hands out its addresses in order, then is exhausted",
            new([Pool("p", "192.0.2.10-192.0.2.11")],
                new Step(Svc("s1"), ["192.0.2.10"]), new Step(Svc("s2"), ["192.0.2.11"]),
                new Step(Svc("s3"), Pending: PendingReason.NoAvailableIPs, Event: "AllocationFailed")) },
        { "§5.3 a pool pinned to the namespace is used before unrestricted pools",
            new([A, Restricted(B, namespaces: ["team"])], new Step(Svc("s1", ns: "team"), ["198.51.100.0"])) },
        { "§5.3 a namespace-pinned pool is not used for other namespaces",
            new([A, Restricted(B, namespaces: ["team"])], new Step(Svc("s1", ns: "other"), ["192.0.2.0"])) },
        { "§5.3 positive priorities ascending come before unset priority",
            new([Restricted(A), Restricted(B, priority: 5), Restricted(Pool("c", "203.0.113.0/29"), priority: 2)],
                new Step(Svc("s1"), ["203.0.113.0"])) },
        { "§5.3 a pool with only serviceSelectors is used for matching services only",
            new([A, Restricted(B, serviceLabels: new() { ["tier"] = "gold" })],
                new Step(Svc("gold", labels: new() { ["tier"] = "gold" }), ["198.51.100.0"]),
                new Step(Svc("plain"), ["192.0.2.0"])) },
        { "§2.1 autoAssign false is never chosen automatically",
            new([A with { AutoAssign = false }], new Step(Svc("s1"), Pending: PendingReason.NoAvailableIPs)) },
        { "§5.4 the address-pool annotation reaches an autoAssign=false pool",
            new([A, B with { AutoAssign = false }],
                new Step(Svc("s1", annotations: new() { [Annotations.AddressPool] = "b" }), ["198.51.100.0"])) },
        { "§4.1 the deprecated metallb.universe.tf spelling works and warns",
            new([A, B], new Step(Svc("s1", annotations: new() { ["metallb.universe.tf/address-pool"] = "b" }), ["198.51.100.0"], Event: "deprecatedAnnotation")) },
        { "§4.1 metallb.io wins over metallb.universe.tf when both are present",
            new([A, B], new Step(Svc("s1", annotations: new() { ["metallb.universe.tf/address-pool"] = "b", [Annotations.AddressPool] = "a" }), ["192.0.2.0"])) },
        { "§5.4 an unknown pool in the annotation is an error, with no fallback",
            new([A], new Step(Svc("s1", annotations: new() { [Annotations.AddressPool] = "nope" }), Pending: PendingReason.UnknownPool)) },
        { "§5.4 an exhausted annotated pool does not fall back to another",
            new([Pool("one", "192.0.2.1/32"), B],
                new Step(Svc("s1", annotations: new() { [Annotations.AddressPool] = "one" }), ["192.0.2.1"]),
                new Step(Svc("s2", annotations: new() { [Annotations.AddressPool] = "one" }), Pending: PendingReason.NoAvailableIPsInPool)) },
        { "§5.1.1 spec.loadBalancerIP gets exactly that address",
            new([A], new Step(Svc("s1", loadBalancerIP: "192.0.2.5"), ["192.0.2.5"])) },
        { "§5.1.1 the loadBalancerIPs annotation gives a dual-stack service both, in the requested order",
            new([Dual], new Step(Svc("s1", clusterIPs: ["fd00::1", "10.96.0.1"], policy: "RequireDualStack",
                annotations: new() { [Annotations.LoadBalancerIPs] = "2001:db8::3, 203.0.113.4" }), ["2001:db8::3", "203.0.113.4"])) },
        { "§5.1.1 the annotation and spec.loadBalancerIP together are refused",
            new([A], new Step(Svc("s1", loadBalancerIP: "192.0.2.5", annotations: new() { [Annotations.LoadBalancerIPs] = "192.0.2.6" }),
                Pending: PendingReason.InvalidRequestedIPs)) },
        { "§5.1.1 a dual-stack service requesting one address is refused, even PreferDualStack",
            new([Dual], new Step(Svc("s1", clusterIPs: ["10.96.0.1", "fd00::1"], policy: "PreferDualStack", loadBalancerIP: "203.0.113.1"),
                Pending: PendingReason.RequestedFamilyMismatch)) },
        { "§5.2 a requested address outside every pool is not allowed",
            new([A], new Step(Svc("s1", loadBalancerIP: "203.0.113.9"), Pending: PendingReason.NotAllowedInConfig)) },
        { "§5.2 a requested buggy address in an avoidBuggyIPs pool is not allowed",
            new([A with { AvoidBuggyIPs = true }], new Step(Svc("s1", loadBalancerIP: "192.0.2.0"), Pending: PendingReason.NotAllowedInConfig)) },
        { "§5.2 requesting an address from a pool restricted to another namespace fails",
            new([Restricted(A, namespaces: ["team"])], new Step(Svc("s1", loadBalancerIP: "192.0.2.1"), Pending: PendingReason.PoolNotCompatible)) },
        { "§5.6 same sharing key, different ports: packed onto the lowest address",
            new([A], new Step(Svc("http", annotations: Shared("k"), ports: [80]), ["192.0.2.0"]),
                new Step(Svc("https", annotations: Shared("k"), ports: [443]), ["192.0.2.0"])) },
        { "§5.6 TCP/53 and UDP/53 do not clash",
            new([A], new Step(Svc("tcp", annotations: Shared("dns"), ports: [53]), ["192.0.2.0"]),
                new Step(Svc("udp", annotations: Shared("dns"), ports: [53], protocol: "UDP"), ["192.0.2.0"])) },
        { "§5.5 a port clash moves a sharing service to the next address",
            new([A], new Step(Svc("one", annotations: Shared("k"), ports: [80]), ["192.0.2.0"]),
                new Step(Svc("two", annotations: Shared("k"), ports: [80]), ["192.0.2.1"])) },
        { "§4.4 Local services with different selectors do not share",
            new([A], new Step(Svc("one", annotations: Shared("k"), trafficPolicy: "Local", ports: [80]), ["192.0.2.0"]),
                new Step(Svc("two", annotations: Shared("k"), trafficPolicy: "Local", ports: [443]), ["192.0.2.1"])) },
        { "§5.6 a service without a sharing key never shares a requested address",
            new([A], new Step(Svc("one"), ["192.0.2.0"]),
                new Step(Svc("two", loadBalancerIP: "192.0.2.0", ports: [443]), Pending: PendingReason.SharingKeyConflict)) },
        { "§5.2 a requested shared address with a port in use is refused",
            new([A], new Step(Svc("one", annotations: Shared("k")), ["192.0.2.0"]),
                new Step(Svc("two", annotations: Shared("k"), loadBalancerIP: "192.0.2.0"), Pending: PendingReason.PortInUse)) },
        { "§8 RequireDualStack takes both families from one pool",
            new([A, Dual], new Step(Svc("s1", clusterIPs: ["10.96.0.1", "fd00::1"], policy: "RequireDualStack"), ["203.0.113.0", "2001:db8::"])) },
        { "§8 RequireDualStack with no dual pool stays pending",
            new([A, V6], new Step(Svc("s1", clusterIPs: ["10.96.0.1", "fd00::1"], policy: "RequireDualStack"), Pending: PendingReason.NoAvailableIPs)) },
        { "§8 PreferDualStack without a dual pool takes the primary family",
            new([A, V6], new Step(Svc("s1", clusterIPs: ["10.96.0.1", "fd00::1"], policy: "PreferDualStack"), ["192.0.2.0"])) },
        { "§8 a single IPv6 cluster IP gets an IPv6 address",
            new([A, V6], new Step(Svc("s1", clusterIPs: ["fd00::1"]), ["2001:db8:1::"])) },
        { "§5.1 step 5 RequireDualStack with one cluster IP warns 'not enough clusterips'",
            new([Dual], new Step(Svc("s1", policy: "RequireDualStack"), Pending: PendingReason.NotEnoughClusterIPs, Event: "not enough clusterips")) },
        { "§6 a kept status IP is never moved to a better pool",
            new([A, Restricted(B, priority: 1)], new Step(Svc("s1", status: ["192.0.2.3"]), ["192.0.2.3"])) },
        { "§5.1 step 7a a status IP outside every pool is cleared and replaced",
            new([A], new Step(Svc("s1", status: ["203.0.113.9"]), ["192.0.2.0"], Event: "ClearAssignment")) },
        { "§5.1 step 7c invalid requested IPs keep the held address (quirk Q4)",
            new([A], new Step(Svc("s1", status: ["192.0.2.3"], annotations: new() { [Annotations.LoadBalancerIPs] = "not-an-ip" }),
                ["192.0.2.3"], PendingReason.InvalidRequestedIPs, Event: "LoadBalancerFailed")) },
        { "§5.1 step 7d a requested address different from the status moves the service",
            new([A], new Step(Svc("s1", status: ["192.0.2.3"], loadBalancerIP: "192.0.2.6"), ["192.0.2.6"])) },
        { "§5.1 step 7b an annotated pool different from the holder moves the service",
            new([A, B], new Step(Svc("s1", status: ["192.0.2.3"], annotations: new() { [Annotations.AddressPool] = "b" }), ["198.51.100.0"])) },
        { "§4.3 a service with a loadBalancerClass is ignored by a controller without --lb-class",
            new([A], new Step(Svc("s1", lbClass: "other"), Pending: PendingReason.LoadBalancerClassNotOurs)) },
        { "§4.3 --lb-class handles only services of that class",
            new([A], new Step(Svc("s1", lbClass: "ours"), ["192.0.2.0"], LbClass: "ours"),
                new Step(Svc("s2"), Pending: PendingReason.LoadBalancerClassNotOurs, LbClass: "ours")) },
        { "§5.1 step 1 a ClusterIP service gets nothing",
            new([A], new Step(Svc("s1", type: "ClusterIP"), Pending: PendingReason.NotLoadBalancer)) },
        { "§10 Q2 a pool whose namespace selectors match nothing is only reachable by annotation",
            new([A with { Allocation = new PoolAllocation(0, new HashSet<string>(), []) }],
                new Step(Svc("auto"), Pending: PendingReason.NoAvailableIPs),
                new Step(Svc("named", annotations: new() { [Annotations.AddressPool] = "a" }), ["192.0.2.0"])) },
    };
}
