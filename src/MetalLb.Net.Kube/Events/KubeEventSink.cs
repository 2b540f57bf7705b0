using System.Globalization;
using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Events;

/// <summary>Writes core/v1 Events; repeats are a merge patch of count and lastTimestamp, as client-go sends.</summary>
public sealed class KubeEventSink(ResourceClient<Event> events) : IEventSink
{
    public Task<Event> CreateAsync(Event e, CancellationToken ct) => events.CreateAsync(e, ct);

    public async Task<Event?> UpdateCountAsync(string ns, string name, int count, DateTimeOffset lastTimestamp, CancellationToken ct)
    {
        string patch = string.Create(CultureInfo.InvariantCulture,
            $"{{\"count\":{count},\"lastTimestamp\":\"{lastTimestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"}}");
        try
        {
            return await events.PatchAsync(ns, name, PatchType.Merge, patch, ct: ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;   // expired (events live an hour) or deleted: the recorder starts a new one
        }
    }
}
