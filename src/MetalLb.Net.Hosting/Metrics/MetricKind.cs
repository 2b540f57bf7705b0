using System.Diagnostics.Metrics;

namespace MetalLb.Net.Hosting.Metrics;

internal enum Aggregation
{
    Sum,
    Last,
    Histogram,
}

/// <summary>How an instrument aggregates and which Prometheus type it is exposed as.</summary>
internal sealed record MetricKind(Aggregation Aggregation, string PrometheusType)
{
    public static MetricKind Of(Instrument instrument)
    {
        var type = instrument.GetType();
        string name = type.IsGenericType ? type.GetGenericTypeDefinition().Name : type.Name;
        return name switch
        {
            "Counter`1" => new(Aggregation.Sum, "counter"),
            // Observable counters report their running total: keep the last report.
            "ObservableCounter`1" => new(Aggregation.Last, "counter"),
            "UpDownCounter`1" => new(Aggregation.Sum, "gauge"),
            "Histogram`1" => new(Aggregation.Histogram, "histogram"),
            _ => new(Aggregation.Last, "gauge"),   // Gauge, ObservableGauge, ObservableUpDownCounter
        };
    }
}
