using System.Diagnostics.Metrics;
using MetalLb.Net.Gossip.Diagnostics;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Tests.Sim;

namespace MetalLb.Net.Gossip.Tests.Diagnostics;

/// <summary>What a Prometheus scrape of the gossip meter would read, from a simulated cluster.</summary>
public sealed class GossipMetricsTests
{
    [Fact]
    public void Members_by_state_and_probe_counters_are_observed_per_member()
    {
        var cluster = new SimCluster(5, MemberlistOptions.Fast, seed: 21);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));
        cluster.Kill(4);
        Assert.True(cluster.Time.AdvanceUntil(cluster.Converged, TimeSpan.FromSeconds(30)));

        using var metrics = new GossipMetrics(() => cluster.Live.Select(i => cluster.Members[i]));
        var seen = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GossipMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => seen.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, ToDictionary(tags))));
        listener.Start();
        listener.RecordObservableInstruments();

        var node0 = cluster.Members[0].Name;
        long Value(string name, string? state = null) => seen.Single(s => s.Name == name && (string?)s.Tags["member"] == node0
            && (state is null || (string?)s.Tags["state"] == state)).Value;
        Assert.Equal(4, Value("metallb_gossip_members", "alive"));
        Assert.Equal(1, Value("metallb_gossip_members", "dead"));
        Assert.Equal(cluster.Members[0].Stats.Probes, Value("metallb_gossip_probes_total"));
        Assert.InRange(Value("metallb_gossip_probes_total"), 1, long.MaxValue);
        // Someone's suspicion of the killed member ran out; the sum over members says so.
        Assert.InRange(seen.Where(s => s.Name == "metallb_gossip_deaths_declared_total").Sum(s => s.Value), 1, long.MaxValue);
        Assert.Equal(4, seen.Count(s => s.Name == "metallb_gossip_health_score"));
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
            result[tag.Key] = tag.Value;
        return result;
    }
}
