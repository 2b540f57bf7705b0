using MetalLb.Net.Api.Core;
using MetalLb.Net.Core.Allocation;

namespace MetalLb.Net.Controller.Writes;

/// <summary>Events leave after the write they tell of, once per decision.</summary>
internal sealed partial class ServiceWriter
{
    /// <summary>
    /// Queues the events of a decision, unless the previous decision for this Service, on the
    /// same generation, said exactly the same: the reconcile our own status write triggers would
    /// otherwise repeat every AllocationFailed at once.
    /// </summary>
    private void Post(Service involved, IReadOnlyList<ServiceEvent> events)
    {
        if (events.Count == 0)
            return;
        string said = string.Join('\n', events.Select(e => $"{e.Type}/{e.Reason}/{e.Message}"));
        string key = involved.Key;
        lock (_gate)
        {
            if (_posted.TryGetValue(key, out var last) && last == (involved.Metadata.Generation, said))
                return;
            _posted[key] = (involved.Metadata.Generation, said);
        }
        foreach (ServiceEvent e in events)
            _events.Writer.TryWrite((involved, e));
    }

    private async Task PumpEventsAsync()
    {
        await foreach (var (obj, e) in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_stop.IsCancellationRequested)
                return;
            await _recorder.RecordAsync(obj, e.Type, e.Reason, e.Message, _stop.Token).ConfigureAwait(false);
        }
    }
}
