using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>The pool status the controller writes, and what a change to it does.</summary>
public sealed class PoolStatusTests
{
    [Fact]
    public async Task A_status_only_change_to_a_pool_is_put_right_without_reloading_the_configuration()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreatePoolAsync("p", "192.0.2.0/30");
        var controller = lab.StartController();
        await lab.CreateServiceAsync("a");
        await lab.WaitForIPsAsync("a");
        await Eventually.True(async () => (await PoolAsync(lab)).Status is { AssignedIPv4: 1 }, "the pool status says 1 assigned");
        long loads = controller.Runtime.Metrics.ConfigLoads;
        Assert.True(loads >= 1, "a Service got an address, so a configuration was loaded");

        await lab.Pools.PatchAsync(ControllerLab.Ns, "p", PatchType.Merge, """{"status":{"assignedIPv4":3}}""", subresource: "status");
        await Eventually.True(async () => (await PoolAsync(lab)).Status is { AssignedIPv4: 1 }, "the controller writes its count back");
        // The reconciler's queue is first in, first out: once a Service created now has its
        // address, every change before it was handled, a reload the patch might have queued too.
        await lab.CreateServiceAsync("b");
        await lab.WaitForIPsAsync("b");
        Assert.Equal(loads, controller.Runtime.Metrics.ConfigLoads);

        // The counter does move on a change that is the configuration's.
        await lab.Pools.PatchAsync(ControllerLab.Ns, "p", PatchType.Merge, """{"spec":{"addresses":["192.0.2.0/29"]}}""");
        await Eventually.True(() => controller.Runtime.Metrics.ConfigLoads > loads, "a spec change reloads the configuration");
        await Eventually.True(async () => (await PoolAsync(lab)).Status is { AvailableIPv4: 6 }, "the pool status counts the new addresses");
    }

    private static Task<Api.MetalLb.IPAddressPool> PoolAsync(ControllerLab lab) => lab.Pools.GetAsync(ControllerLab.Ns, "p");
}
