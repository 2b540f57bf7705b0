using MetalLb.Net.Api.Core;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Controller.Writes;
using MetalLb.Net.Kube.Events;
using MetalLb.Net.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Controller.Tests;

/// <summary>The writer against the emulator, where the order of writes and decisions matters.</summary>
public sealed class ServiceWriterTests
{
    [Fact]
    public async Task A_decision_resubmitted_from_the_overlay_before_its_write_still_writes_the_IP_and_the_annotation()
    {
        await using var lab = await ControllerLab.StartAsync();
        Service first = await lab.CreateServiceAsync("first");
        Service second = await lab.CreateServiceAsync("second");
        var cache = new Dictionary<string, Service> { [first.Key] = first, [second.Key] = second };
        using var recorder = new EventRecorder(new KubeEventSink(lab.Client.Resource<Event>()), "metallb-controller");
        // One writer, slowed down: "second" waits in the queue while "first" is written.
        lab.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(300);
        await using var writer = new ServiceWriter(lab.Services, k => cache.GetValueOrDefault(k), recorder, new ControllerMetrics(),
            NullLogger.Instance, concurrency: 1);

        writer.Submit(first, Allocated("192.0.2.1"), []);
        writer.Submit(second, Allocated("192.0.2.2"), []);
        // A full resync decides "second" again before its write started, from what Latest shows.
        writer.Submit(writer.Latest(second.Key)!, Allocated("192.0.2.2"), []);
        await Eventually.True(() => writer.Pending == 0, "the writes land", TimeSpan.FromSeconds(10));

        Service written = await lab.GetServiceAsync("second");
        Assert.Equal(["192.0.2.2"], ControllerLab.IPs(written));
        Assert.Equal("p", written.Metadata.Annotations?.GetValueOrDefault("metallb.io/ip-allocated-from-pool"));
    }

    [Fact]
    public async Task A_pending_decision_repeated_before_its_write_lands_records_its_warning_once()
    {
        await using var lab = await ControllerLab.StartAsync();
        Service pending = await lab.CreateServiceAsync("pending");
        var cache = new Dictionary<string, Service> { [pending.Key] = pending };
        using var recorder = new EventRecorder(new KubeEventSink(lab.Client.Resource<Event>()), "metallb-controller");
        // The condition write is slow, so the same decision arrives again while it is in flight,
        // as when the reconcile our own write triggers races a resync.
        lab.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(300);
        await using var writer = new ServiceWriter(lab.Services, k => cache.GetValueOrDefault(k), recorder, new ControllerMetrics(),
            NullLogger.Instance, concurrency: 1);
        var failed = new ServiceEvent("Warning", "AllocationFailed", "Failed to allocate IP for \"default/pending\": no available IPs");
        var none = new ServiceState([], null, new ServiceCondition("False", "NoAvailableIPs", "no available IPs"));

        writer.Submit(pending, none, [failed]);
        writer.Submit(writer.Latest(pending.Key)!, none, [failed]);
        writer.Submit(writer.Latest(pending.Key)!, none, [failed]);
        await Eventually.True(() => writer.Pending == 0, "the write lands", TimeSpan.FromSeconds(10));
        // The echo of our own write decides the same again: nothing new to tell.
        writer.Submit(await lab.GetServiceAsync("pending"), none, [failed]);
        lab.Emulator.Faults.Latency = TimeSpan.Zero;

        // Events are recorded in order: once a later one is there, every repeat would be too.
        writer.Submit(await lab.GetServiceAsync("pending"), none, [new ServiceEvent("Normal", "Marker", "after the repeats")]);
        await Eventually.True(async () => (await lab.EventsAsync("pending")).Any(e => e.Reason == "Marker"), "the later event");

        // The recorder counts a repeat of the same event in Count; a second record would show there.
        var warning = Assert.Single(await lab.EventsAsync("pending"), e => e.Reason == "AllocationFailed");
        Assert.Equal(1, warning.Count ?? 1);
    }

    private static ServiceState Allocated(string ip) =>
        new([ip], "p", new ServiceCondition("True", "Allocated", $"{ip} from IPAddressPool \"p\""));
}
