using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>The aggregated values of one instrument, per label set, and how to render them.</summary>
internal sealed class InstrumentState
{
    // Prometheus client defaults, for histograms whose instrument gives no boundaries.
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Dictionary<LabelSet, Series> _series = [];
    private readonly Lock _lock = new();
    private readonly double[] _buckets;

    public InstrumentState(Instrument instrument)
    {
        Kind = MetricKind.Of(instrument);
        Name = PrometheusNames.For(instrument, Kind);
        Help = instrument.Description ?? instrument.Name;
        _buckets = instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } b } ? [.. b]
            : instrument is Histogram<long> { Advice.HistogramBucketBoundaries: { } l } ? [.. l.Select(x => (double)x)]
            : DefaultBuckets;
    }

    public string Name { get; }
    public string Help { get; }
    public MetricKind Kind { get; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = LabelSet.From(tags);
        lock (_lock)
        {
            if (!_series.TryGetValue(labels, out var s)) _series[labels] = s = new Series(_buckets.Length);
            switch (Kind.Aggregation)
            {
                case Aggregation.Sum: s.Value += value; break;
                case Aggregation.Last: s.Value = value; break;
                case Aggregation.Histogram:
                    s.Value += value;
                    s.Count++;
                    for (int i = 0; i < _buckets.Length; i++)
                        if (value <= _buckets[i]) s.Buckets[i]++;
                    break;
            }
        }
    }

    /// <summary>Appends the family; false (nothing written) while it has no samples.</summary>
    public bool Render(StringBuilder text)
    {
        lock (_lock)
        {
            if (_series.Count == 0) return false;
            text.Append("# HELP ").Append(Name).Append(' ').Append(Escape(Help, quote: false)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(Kind.PrometheusType).Append('\n');
            foreach (var (labels, s) in _series.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal))
            {
                if (Kind.Aggregation != Aggregation.Histogram)
                {
                    Sample(text, Name, labels, null, s.Value);
                    continue;
                }
                for (int i = 0; i < _buckets.Length; i++)
                    Sample(text, Name + "_bucket", labels, Format(_buckets[i]), s.Buckets[i]);
                Sample(text, Name + "_bucket", labels, "+Inf", s.Count);
                Sample(text, Name + "_sum", labels, null, s.Value);
                Sample(text, Name + "_count", labels, null, s.Count);
            }
            return true;
        }
    }

    private static void Sample(StringBuilder text, string name, LabelSet labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            labels.AppendTo(text);
            if (le is not null) text.Append(labels.Count > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
            text.Append('}');
        }
        text.Append(' ').Append(Format(value)).Append('\n');
    }

    internal static string Format(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : double.IsNaN(v) ? "NaN"
        : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Text-format escaping: backslash and newline always, double quote in label values.</summary>
    internal static string Escape(string s, bool quote)
    {
        var e = s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return quote ? e.Replace("\"", "\\\"", StringComparison.Ordinal) : e;
    }

    private sealed class Series(int buckets)
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[buckets];
    }
}
