using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>
/// Prometheus text exposition (format 0.0.4) over System.Diagnostics.Metrics: listens to the
/// chosen meters, aggregates what they record, and renders it on scrape. Names are kept as the
/// instrument gives them (upstream MetalLB's metallb_* names), so dashboards carry over;
/// OpenTelemetry-style dotted names (System.Runtime's) are turned into Prometheus names.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _states = new();
    private readonly Lock _scrapeLock = new();

    /// <param name="includeMeter">Which meters to expose, by the meter (e.g. name starts with "MetalLb.Net").</param>
    public PrometheusExporter(Func<Meter, bool> includeMeter)
    {
        ArgumentNullException.ThrowIfNull(includeMeter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!includeMeter(instrument.Meter)) return;
            _states.TryAdd(instrument, new InstrumentState(instrument));
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _states.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    /// <summary>The exposition text, as served on /metrics.</summary>
    public string Scrape()
    {
        lock (_scrapeLock)
        {
            // Observable instruments report during this call; their values replace the last ones.
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            // One family per exposed name: two instruments rendering to the same name would
            // make an exposition Prometheus refuses, so the first that has samples wins.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var state in _states.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
                if (!seen.Contains(state.Name) && state.Render(text)) seen.Add(state.Name);
            return text.ToString();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_states.TryGetValue(instrument, out var state)) state.Record(value, tags);
    }

    public void Dispose() => _listener.Dispose();
}
