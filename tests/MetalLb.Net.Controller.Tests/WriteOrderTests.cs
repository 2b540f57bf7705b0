using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>
/// An address freed by one Service and given to another in the same breath: the release must
/// reach the API before the new owner's status, or both statuses hold it for a moment.
/// </summary>
public sealed class WriteOrderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_freed_address_reaches_its_new_owner_only_after_the_release_has_landed()
    {
        await using var lab = await ControllerLab.StartAsync();
        lab.Logs = TestOutputLogs.Create(output);
        await lab.CreatePoolAsync("one", "192.0.2.99/32");
        await using var invariants = new AddressInvariants(lab.Emulator.Server);
        await invariants.ReadyAsync();
        lab.StartController();
        // Each write takes a while, so the two writes overlap unless one waits for the other.
        lab.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(40);
        for (int round = 0; round < 4; round++)
        {
            string holder = $"holder-{round}", next = $"next-{round}";
            await lab.CreateServiceAsync(holder);
            await lab.WaitForIPsAsync(holder);
            await lab.CreateServiceAsync(next);
            await Eventually.True(async () => ControllerLab.OurCondition(await lab.GetServiceAsync(next))?.Reason == "NoAvailableIPs",
                $"{next} pending");
            // The holder stops being a LoadBalancer: its address goes to the pending Service.
            var uid = (await lab.GetServiceAsync(holder)).Metadata.Uid!;
            invariants.AllowChange(uid);
            await lab.Services.PatchAsync("default", holder, PatchType.Merge, """{"spec":{"type":"ClusterIP"}}""");
            Assert.Equal(["192.0.2.99"], ControllerLab.IPs(await lab.WaitForIPsAsync(next)));
            await lab.Services.DeleteAsync("default", holder);
            await lab.Services.DeleteAsync("default", next);
        }
        await invariants.CaughtUpAsync(lab.Emulator.Server);
        Assert.True(invariants.Changes >= 16, "the witness saw the run");
        Assert.True(invariants.Violations.Count == 0, string.Join("\n", invariants.Violations));
    }
}
