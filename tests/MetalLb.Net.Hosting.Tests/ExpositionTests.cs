using System.Diagnostics.Metrics;
using MetalLb.Net.Hosting.Metrics;

namespace MetalLb.Net.Hosting.Tests;

public sealed class ExpositionTests : IDisposable
{
    private readonly Meter _meter = new($"MetalLb.Net.Test.{Guid.NewGuid():N}");
    private readonly PrometheusExporter _exporter;

    public ExpositionTests() => _exporter = new PrometheusExporter(m => m == _meter);

    [Fact]
    public void Counters_sum_per_label_set_with_upstreams_names()
    {
        var c = _meter.CreateCounter<long>("metallb_bgp_updates_total", description: "Number of BGP UPDATE messages sent.");
        c.Add(2, new KeyValuePair<string, object?>("peer", "192.0.2.1:179"));
        c.Add(3, new KeyValuePair<string, object?>("peer", "192.0.2.1:179"));
        c.Add(1, new KeyValuePair<string, object?>("peer", "192.0.2.2:179"));
        Assert.Equal(
            "# HELP metallb_bgp_updates_total Number of BGP UPDATE messages sent.\n" +
            "# TYPE metallb_bgp_updates_total counter\n" +
            "metallb_bgp_updates_total{peer=\"192.0.2.1:179\"} 5\n" +
            "metallb_bgp_updates_total{peer=\"192.0.2.2:179\"} 1\n",
            _exporter.Scrape());
    }

    [Fact]
    public void Gauges_keep_the_last_value_and_labels_are_sorted_and_escaped()
    {
        var g = _meter.CreateGauge<double>("metallb_allocator_addresses_in_use_total");
        g.Record(7, new("pool", "a\"b\\c\nd"), new("family", "v4"));
        g.Record(3, new("family", "v4"), new("pool", "a\"b\\c\nd"));
        Assert.Contains("metallb_allocator_addresses_in_use_total{family=\"v4\",pool=\"a\\\"b\\\\c\\nd\"} 3\n", _exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Histograms_have_cumulative_buckets_sum_and_count()
    {
        var h = _meter.CreateHistogram<double>("metallb_test_seconds", unit: "s", description: "d",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        h.Record(0.05);
        h.Record(0.5);
        h.Record(5);
        var text = _exporter.Scrape();
        Assert.Contains("metallb_test_seconds_bucket{le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("metallb_test_seconds_bucket{le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("metallb_test_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("metallb_test_seconds_sum 5.55\n", text, StringComparison.Ordinal);
        Assert.Contains("metallb_test_seconds_count 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_instruments_report_on_every_scrape()
    {
        int calls = 0;
        _meter.CreateObservableGauge("metallb_k8s_client_config_loaded_bool", () => ++calls);
        Assert.Contains("metallb_k8s_client_config_loaded_bool 1\n", _exporter.Scrape(), StringComparison.Ordinal);
        Assert.Contains("metallb_k8s_client_config_loaded_bool 2\n", _exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dotted_runtime_names_become_prometheus_names()
    {
        _meter.CreateCounter<long>("dotnet.gc.collections").Add(1);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter\n", _exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_meters_are_not_exposed()
    {
        using var other = new Meter("Someone.Else");
        other.CreateCounter<long>("someone_else_total").Add(1);
        Assert.DoesNotContain("someone_else_total", _exporter.Scrape(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }
}
