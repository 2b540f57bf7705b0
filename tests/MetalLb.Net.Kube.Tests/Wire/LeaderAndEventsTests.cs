using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Events;
using MetalLb.Net.Kube.Leader;

namespace MetalLb.Net.Kube.Tests.Wire;

/// <summary>Lease election and event aggregation through the API server.</summary>
public sealed class LeaderAndEventsTests : IAsyncLifetime
{
    private Emulator _emu = null!;

    public async Task InitializeAsync()
    {
        _emu = await Emulator.StartAsync();
        await _emu.CreateNamespaceAsync("metallb-system");
    }

    public async Task DisposeAsync() => await _emu.DisposeAsync();

    [Fact]
    public async Task Two_candidates_share_one_Lease_and_hand_over_on_release()
    {
        var leases = _emu.Client.Resource<Lease>();
        // A short retry keeps the test quick; long lease and deadline keep a busy machine from
        // costing a its leadership. The timing rules themselves are tested on a fake clock.
        LeaderElectionOptions Options(string id) => new()
        {
            LeaseName = "metallb-controller", Namespace = "metallb-system", Identity = id,
            LeaseDuration = TimeSpan.FromSeconds(30), RenewDeadline = TimeSpan.FromSeconds(20), RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        var store = new KubeLeaseStore(leases, "metallb-system", "metallb-controller");
        var a = new LeaderElector(store, Options("a"));
        var b = new LeaderElector(store, Options("b"));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        int leaders = 0, maxLeaders = 0;
        Func<CancellationToken, Task> Lead(string id) => async ct =>
        {
            int now = Interlocked.Increment(ref leaders);
            InterlockedMax(ref maxLeaders, now);
            try { await Task.Delay(Timeout.Infinite, ct); }
            finally { Interlocked.Decrement(ref leaders); }
        };
        Task runA = a.RunAsync(Lead("a"), stopA.Token);
        await Eventually.True(() => a.IsLeader, "a leads");
        Task runB = b.RunAsync(Lead("b"), stopB.Token);
        await Eventually.True(() => b.ObservedLeader == "a", "b sees a");
        Assert.Equal("a", (await leases.GetAsync("metallb-system", "metallb-controller")).Spec.HolderIdentity);

        await stopA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(30));
        Lease released = await leases.GetAsync("metallb-system", "metallb-controller");
        Assert.Equal("", released.Spec.HolderIdentity);
        await Eventually.True(() => b.IsLeader, "b takes over after a's release");
        Lease lease = await leases.GetAsync("metallb-system", "metallb-controller");
        Assert.Equal("b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(1, maxLeaders);

        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("", (await leases.GetAsync("metallb-system", "metallb-controller")).Spec.HolderIdentity);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    [Fact]
    public async Task Repeated_events_are_one_Event_with_a_count_on_the_server()
    {
        var services = _emu.Client.Resource<Service>();
        Service svc = await services.CreateAsync(Emulator.Service("ev", "metallb-system"));
        var events = _emu.Client.Resource<Event>();
        using var recorder = new EventRecorder(new KubeEventSink(events), "metallb-controller", "node-1");
        for (int i = 0; i < 3; i++)
            await recorder.WarningAsync(svc, "AllocationFailed", "no available IPs");
        await recorder.NormalAsync(svc, "IPAllocated", "Assigned IP [\"192.0.2.1\"]");

        var stored = (await events.ListAsync("metallb-system")).Items;
        Assert.True(recorder.Failures == 0, recorder.LastFailure?.ToString());
        Assert.Equal(2, stored.Count);
        Event failed = stored.Single(e => e.Reason == "AllocationFailed");
        Assert.Equal(3, failed.Count);
        Assert.Equal("Warning", failed.Type);
        Assert.Equal(svc.Metadata.Uid, failed.InvolvedObject.Uid);
        Assert.True(failed.LastTimestamp >= failed.FirstTimestamp);
        Assert.Equal(1, stored.Single(e => e.Reason == "IPAllocated").Count);
    }
}
