using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Networking;
using static MetalLb.Net.Core.Tests.Allocation.AllocationFixtures;

namespace MetalLb.Net.Core.Tests.Allocation;

public sealed class AllocatorTests
{
    [Fact]
    public void Renaming_a_pool_keeps_every_ip() // docs/upstream-controller.md §6: allocations are re-homed
    {
        var allocator = Allocator(Pool("old", "192.0.2.0/29"));
        ServiceConverger.Converge(allocator, Svc("s1"));
        allocator.SetPools([Pool("new", "192.0.2.0/29")]);
        var outcome = ServiceConverger.Converge(allocator, Svc("s1", status: ["192.0.2.0"]));
        Assert.Equal(["192.0.2.0"], Ips(outcome));
        Assert.Equal("new", outcome.Pool);
    }

    [Fact]
    public void Shrinking_a_pool_replaces_the_address_in_the_same_pass() // docs/upstream-controller.md §6 example
    {
        var allocator = Allocator(Pool("p", "1.2.3.0/30"));
        ServiceConverger.Converge(allocator, Svc("s1"));
        allocator.SetPools([Pool("p", "1.2.3.2/31")]);
        Assert.Equal(["1.2.3.2"], Ips(ServiceConverger.Converge(allocator, Svc("s1", status: ["1.2.3.0"]))));
    }

    [Fact]
    public void A_released_address_is_handed_out_again_first()
    {
        var allocator = Allocator(Pool("p", "192.0.2.0/29"));
        for (int i = 0; i < 4; i++) ServiceConverger.Converge(allocator, Svc($"s{i}"));
        allocator.Release("default/s1");
        Assert.Equal(["192.0.2.1"], Ips(ServiceConverger.Converge(allocator, Svc("new"))));
        Assert.Equal(["192.0.2.4"], Ips(ServiceConverger.Converge(allocator, Svc("newer"))));
    }

    [Fact]
    public void No_address_is_ever_held_by_two_services_without_sharing()
    {
        var allocator = Allocator(Pool("p", "192.0.2.0/28"));
        var held = new Dictionary<string, string>();
        for (int round = 0; round < 5; round++)
            for (int i = 0; i < 20; i++)
            {
                var name = $"s{(i * 7 + round) % 20}";
                if (i % 3 == 0) { allocator.Release($"default/{name}"); held.Remove(name); continue; }
                var o = ServiceConverger.Converge(allocator, Svc(name, status: held.TryGetValue(name, out var ip) ? [ip] : null));
                if (o.HasIPs) held[name] = o.IPs[0].ToString(); else held.Remove(name);
            }
        Assert.Equal(held.Count, held.Values.Distinct().Count());
        Assert.All(held.Values, ip => Assert.StartsWith("192.0.2.", ip, StringComparison.Ordinal));
    }

    [Fact]
    public void Pool_usage_counts_shared_addresses_once_and_respects_buggy_capacity() // docs/upstream-controller.md §9
    {
        var allocator = Allocator(Pool("p", "192.0.2.0/24", "2001:db8::/120") with { AvoidBuggyIPs = true });
        ServiceConverger.Converge(allocator, Svc("a", annotations: Shared("k"), ports: [80]));
        ServiceConverger.Converge(allocator, Svc("b", annotations: Shared("k"), ports: [443]));
        ServiceConverger.Converge(allocator, Svc("c", clusterIPs: ["fd00::1"]));
        var usage = allocator.Usage("p");
        Assert.Equal((1, 1, 254, 256), (usage.AssignedV4, usage.AssignedV6, usage.CapacityV4, usage.CapacityV6));
        Assert.Equal(253, usage.AvailableV4);
    }

    [Fact]
    public void A_slash_64_pool_reports_saturated_capacity_and_allocates_from_its_start()
    {
        var allocator = Allocator(Pool("big", "2001:db8::/64"));
        var outcome = ServiceConverger.Converge(allocator, Svc("s", clusterIPs: ["fd00::1"]));
        Assert.Equal(["2001:db8::"], Ips(outcome));
        Assert.Equal(long.MaxValue, allocator.Usage("big").CapacityV6); // 2^64 addresses, capped (upstream overflows, Q7)
    }

    [Fact]
    public void First_free_skips_used_addresses_deep_inside_a_huge_pool_without_walking_it()
    {
        var allocator = Allocator(Pool("big", "2001:db8::/64"));
        // A requested address near the end of the /64 must not make the allocator walk to it.
        ServiceConverger.Converge(allocator, Svc("far", clusterIPs: ["fd00::1"], loadBalancerIP: "2001:db8::ffff:ffff:ffff:fffe"));
        var next = ServiceConverger.Converge(allocator, Svc("next", clusterIPs: ["fd00::1"]));
        Assert.Equal(IpAddress.Parse("2001:db8::"), next.IPs[0]);
    }
}
