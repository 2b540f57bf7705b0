using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Controller.Tests;

/// <summary>
/// The witness must be able to fail: statuses written by hand (no controller running) that
/// break each promise are reported, and the ones the rules allow are not.
/// </summary>
public sealed class AddressInvariantsTests
{
    [Fact]
    public async Task Two_services_holding_one_address_are_reported_unless_they_may_share_it()
    {
        await using var lab = await ControllerLab.StartAsync();
        await using var witness = new AddressInvariants(lab.Emulator.Server);
        await witness.ReadyAsync();

        // Same sharing key, different ports: allowed.
        await lab.CreateServiceAsync("share-a", edit: Shared("k", 80));
        await lab.CreateServiceAsync("share-b", edit: Shared("k", 81));
        await SetIPAsync(lab, "share-a", "192.0.2.1");
        await SetIPAsync(lab, "share-b", "192.0.2.1");
        // No sharing key: not allowed.
        await lab.CreateServiceAsync("plain-a");
        await lab.CreateServiceAsync("plain-b");
        await SetIPAsync(lab, "plain-a", "192.0.2.2");
        await SetIPAsync(lab, "plain-b", "192.0.2.2");
        await witness.CaughtUpAsync(lab.Emulator.Server);

        var violation = Assert.Single(witness.Violations);
        Assert.Contains("192.0.2.2 held by default/plain-b and default/plain-a", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_held_address_that_moves_is_reported_unless_the_test_allowed_it()
    {
        await using var lab = await ControllerLab.StartAsync();
        await lab.CreateServiceAsync("mover");
        var allowed = await lab.CreateServiceAsync("allowed");
        await SetIPAsync(lab, "mover", "192.0.2.3");
        await SetIPAsync(lab, "allowed", "192.0.2.5");
        // Started after the addresses were set: the first list is where it learns them.
        await using var witness = new AddressInvariants(lab.Emulator.Server);
        await witness.ReadyAsync();

        witness.AllowChange(allowed.Metadata.Uid!);
        await SetIPAsync(lab, "allowed", "192.0.2.6");
        await SetIPAsync(lab, "mover", "192.0.2.4");
        await witness.CaughtUpAsync(lab.Emulator.Server);

        var violation = Assert.Single(witness.Violations);
        Assert.Contains("default/mover changed from [192.0.2.3] to [192.0.2.4]", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_watch_and_a_compacted_history_are_resumed_and_still_checked()
    {
        await using var lab = await ControllerLab.StartAsync();
        await using var witness = new AddressInvariants(lab.Emulator.Server);
        await witness.ReadyAsync();
        await lab.CreateServiceAsync("a");
        await lab.CreateServiceAsync("b");
        await witness.CaughtUpAsync(lab.Emulator.Server);

        lab.Emulator.Faults.CutWatches();
        await SetIPAsync(lab, "a", "192.0.2.7");
        await witness.CaughtUpAsync(lab.Emulator.Server);
        lab.Emulator.Faults.CutWatches();
        lab.Emulator.Server.Compact();
        await SetIPAsync(lab, "b", "192.0.2.7");
        await witness.CaughtUpAsync(lab.Emulator.Server);

        Assert.True(witness.Reconnects >= 1, "the cut was seen");
        Assert.True(witness.Relists >= 1, "the 410 after compaction made it relist");
        Assert.Contains(witness.Violations, v => v.Contains("192.0.2.7 held by", StringComparison.Ordinal));
    }

    private static Action<Service> Shared(string key, int port) => s =>
    {
        s.Metadata.Annotations = new() { ["metallb.io/allow-shared-ip"] = key };
        s.Spec.Ports = [new ServicePort { Port = port, Protocol = "TCP" }];
    };

    private static Task<Service> SetIPAsync(ControllerLab lab, string name, string ip) =>
        lab.Services.PatchAsync("default", name, PatchType.Merge,
            "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"" + ip + "\"}]}}}", subresource: "status");
}
