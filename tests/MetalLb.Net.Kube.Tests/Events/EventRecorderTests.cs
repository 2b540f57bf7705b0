using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Events;
using Microsoft.Extensions.Time.Testing;

namespace MetalLb.Net.Kube.Tests.Events;

public sealed class EventRecorderTests
{
    private sealed class SinkFake : IEventSink
    {
        public List<Event> Created { get; } = [];
        public List<(string Name, int Count, DateTimeOffset Last)> Updates { get; } = [];
        public bool Expired { get; set; }
        public bool Broken { get; set; }

        public Task<Event> CreateAsync(Event e, CancellationToken ct)
        {
            if (Broken)
                throw new HttpRequestException("down");
            Created.Add(e);
            return Task.FromResult(e);
        }

        public Task<Event?> UpdateCountAsync(string ns, string name, int count, DateTimeOffset lastTimestamp, CancellationToken ct)
        {
            if (Expired)
                return Task.FromResult<Event?>(null);
            Updates.Add((name, count, lastTimestamp));
            return Task.FromResult<Event?>(Created.Single(e => e.Metadata.Name == name));
        }
    }

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SinkFake _sink = new();

    private static Service Svc(string name) => new()
    {
        ApiVersion = "v1", Kind = "Service",
        Metadata = new() { Name = name, Namespace = "web", Uid = "uid-" + name },
    };

    [Fact]
    public async Task Repeats_become_one_event_with_a_count_and_the_latest_time()
    {
        using var recorder = new EventRecorder(_sink, "metallb-controller", "node-1", _clock);
        Service svc = Svc("front");
        await recorder.WarningAsync(svc, "AllocationFailed", "no available IPs");
        _clock.Advance(TimeSpan.FromSeconds(30));
        await recorder.WarningAsync(svc, "AllocationFailed", "no available IPs");
        _clock.Advance(TimeSpan.FromSeconds(30));
        await recorder.WarningAsync(svc, "AllocationFailed", "no available IPs");

        Event created = Assert.Single(_sink.Created);
        Assert.Equal("Warning", created.Type);
        Assert.Equal("web", created.Metadata.Namespace);
        Assert.StartsWith("front.", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("uid-front", created.InvolvedObject.Uid);
        Assert.Equal("metallb-controller", created.Source!.Component);
        Assert.Equal([2, 3], _sink.Updates.Select(u => u.Count));
        Assert.Equal(_clock.GetUtcNow(), _sink.Updates[^1].Last);
    }

    [Fact]
    public async Task A_different_reason_message_type_or_object_is_its_own_event()
    {
        using var recorder = new EventRecorder(_sink, "c", time: _clock);
        await recorder.NormalAsync(Svc("a"), "IPAllocated", "Assigned IP [192.0.2.1]");
        await recorder.NormalAsync(Svc("a"), "IPAllocated", "Assigned IP [192.0.2.2]");
        await recorder.WarningAsync(Svc("a"), "IPAllocated", "Assigned IP [192.0.2.2]");
        await recorder.NormalAsync(Svc("b"), "IPAllocated", "Assigned IP [192.0.2.1]");
        await recorder.NormalAsync(Svc("b"), "ClearAssignment", "Assigned IP [192.0.2.1]");
        Assert.Equal(5, _sink.Created.Count);
        Assert.Empty(_sink.Updates);
    }

    [Fact]
    public async Task An_expired_event_is_recreated_and_a_broken_sink_never_throws()
    {
        using var recorder = new EventRecorder(_sink, "c", time: _clock);
        await recorder.NormalAsync(Svc("a"), "R", "m");
        _sink.Expired = true;
        await recorder.NormalAsync(Svc("a"), "R", "m");
        Assert.Equal(2, _sink.Created.Count);

        _sink.Broken = true;
        await recorder.NormalAsync(Svc("z"), "R", "m");
        Assert.Equal(1, recorder.Failures);
    }

    [Fact]
    public async Task A_stuck_object_gets_a_burst_of_25_writes_then_one_per_five_minutes()
    {
        using var recorder = new EventRecorder(_sink, "metallb-controller", "node-1", _clock);
        Service stuck = Svc("stuck"), other = Svc("other");
        for (int i = 0; i < 100; i++)
            await recorder.WarningAsync(stuck, "AllocationFailed", $"no available IPs (attempt {i})");
        Assert.Equal(25, _sink.Created.Count);
        Assert.Equal(75, recorder.Suppressed);

        // Another object has its own budget.
        await recorder.WarningAsync(other, "AllocationFailed", "no available IPs");
        Assert.Equal(26, _sink.Created.Count);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await recorder.WarningAsync(stuck, "AllocationFailed", "again");
        await recorder.WarningAsync(stuck, "AllocationFailed", "and again");
        Assert.Equal(27, _sink.Created.Count);
        Assert.Equal(76, recorder.Suppressed);
    }
}
