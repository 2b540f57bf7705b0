using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;

namespace MetalLb.Net.Deps.Bench;

/// <summary>
/// What prometheus-net's Meter adapter makes of instruments named as upstream MetalLB names its
/// metrics: the exposition lines it writes, beside the name and type a dashboard expects.
/// </summary>
internal static class PrometheusNames
{
    public static async Task RunAsync()
    {
        Metrics.SuppressDefaultMetrics();
        using var adapter = MeterAdapter.StartListening();
        using var meter = new Meter("MetalLb.Net.Bgp");
        var updates = meter.CreateCounter<long>("metallb_bgp_updates_total", description: "BGP UPDATE messages sent");
        var inUse = meter.CreateUpDownCounter<long>("metallb_allocator_addresses_in_use_total", description: "IPs in use");
        meter.CreateObservableGauge("metallb_bgp_session_up", () => new Measurement<long>(1, new KeyValuePair<string, object?>("peer", "192.0.2.1")),
            description: "BGP session state");
        updates.Add(3, new KeyValuePair<string, object?>("peer", "192.0.2.1"));
        inUse.Add(5, new KeyValuePair<string, object?>("pool", "default"));

        // The adapter publishes on collection; scrape twice so observable instruments have reported.
        string text = "";
        for (int i = 0; i < 2; i++)
        {
            using var stream = new MemoryStream();
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
            text = Encoding.UTF8.GetString(stream.ToArray());
        }
        if (!text.Contains("metallb_bgp_updates_total", StringComparison.Ordinal) && !text.Contains("metallb_bgp_updates", StringComparison.Ordinal))
            throw new InvalidOperationException("the adapter exported none of the instruments: nothing to compare");
        Console.WriteLine("Upstream name and type beside what prometheus-net 8.2.1's MeterAdapter exposes (`# TYPE` line and sample):");
        Console.WriteLine();
        Console.WriteLine("```");
        foreach (string line in text.Split('\n').Where(l => l.Contains("metallb", StringComparison.OrdinalIgnoreCase)))
            Console.WriteLine(line);
        Console.WriteLine("```");
    }
}
