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
        await Eventually.True(async () => (await lab.Pools.GetAsync(ControllerLab.Ns, "p")).Status is { AssignedIPv4: 1 }, "the pool status says 1 assigned");
        long updates = await SettledUpdatesAsync(controller.Runtime);

        await lab.Pools.PatchAsync(ControllerLab.Ns, "p", PatchType.Merge, """{"status":{"assignedIPv4":3}}""", subresource: "status");

        await Eventually.True(async () => (await lab.Pools.GetAsync(ControllerLab.Ns, "p")).Status is { AssignedIPv4: 1 }, "the controller writes its count back");
        // A reload would have counted one update for the configuration and one per Service resynced.
        Assert.Equal(updates, await SettledUpdatesAsync(controller.Runtime));
    }

    // The controller's own writes come back as events and are reconciled (each counts an
    // update); wait until the count stops moving.
    private static async Task<long> SettledUpdatesAsync(ControllerRuntime runtime)
    {
        long before;
        do
        {
            before = runtime.Metrics.Updates;
            await Task.Delay(300);
        }
        while (runtime.Metrics.Updates != before);
        return before;
    }
}
