using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Kube.Events;

/// <summary>Where recorded events go: the API server in production, a list in tests.</summary>
public interface IEventSink
{
    Task<Event> CreateAsync(Event e, CancellationToken ct);

    /// <summary>Bumps an existing event's count and lastTimestamp; null if it no longer exists.</summary>
    Task<Event?> UpdateCountAsync(string ns, string name, int count, DateTimeOffset lastTimestamp, CancellationToken ct);
}
