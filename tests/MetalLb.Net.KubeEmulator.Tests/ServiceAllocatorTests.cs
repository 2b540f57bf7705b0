using MetalLb.Net.KubeEmulator.Types;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>Cluster IPs and node ports: unique, in range, reused after release, refused when exhausted.</summary>
public sealed class ServiceAllocatorTests
{
    [Fact]
    public void Cluster_ips_are_unique_and_inside_the_service_cidrs()
    {
        var alloc = new ServiceAllocator();
        var v4 = Enumerable.Range(0, 5000).Select(_ => alloc.AllocateIp(v6: false)!).ToList();
        Assert.Equal(5000, v4.Distinct().Count());
        Assert.All(v4, ip => Assert.True(alloc.InRange(ip, v6: false), ip));
        var v6 = alloc.AllocateIp(v6: true)!;
        Assert.StartsWith("fd00:10:96::", v6);
        Assert.False(alloc.TryReserveIp(v4[0]));
    }

    [Fact]
    public void Node_ports_run_out_after_the_range_and_come_back_when_released()
    {
        var alloc = new ServiceAllocator();
        var ports = new List<int>();
        while (alloc.AllocatePort() is { } p)
            ports.Add(p);
        Assert.Equal(ServiceAllocator.NodePortMax - ServiceAllocator.NodePortMin + 1, ports.Count);
        alloc.ReleasePort(30123);
        Assert.Equal(30123, alloc.AllocatePort());
    }
}
