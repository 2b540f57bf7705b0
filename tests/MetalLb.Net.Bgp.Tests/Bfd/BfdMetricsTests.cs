using System.Diagnostics.Metrics;
using System.Net;
using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>Upstream's FRR-mode BFD metric names and labels (metallb frr-tools/metrics/collector/bfd.go).</summary>
public class BfdMetricsTests
{
    private static BfdSessionStatus Status(string peer, BfdState state, long input, long output, long ups, long downs) => new(
        "k-" + peer, IPAddress.Parse(peer), false, state, BfdDiagnostic.None, state, BfdDiagnostic.None, 1, 2,
        TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(900), input, output, ups, downs, null);

    [Fact]
    public void Exports_upstream_names_with_peer_and_vrf_labels()
    {
        BfdSessionStatus[] sessions =
        [
            Status("192.0.2.2", BfdState.Up, 40, 41, 1, 0),
            Status("2001:db8::2", BfdState.Down, 5, 6, 2, 2),
        ];
        using var metrics = new BfdMetrics(() => sessions, "red");
        var seen = new List<(string Name, long Value, string Peer, string Vrf)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == BfdMetrics.MeterName) l.EnableMeasurementEvents(i); };
        void Record(Instrument i, long v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var t = tags.ToArray().ToDictionary(x => x.Key, x => (string)x.Value!);
            seen.Add((i.Name, v, t["peer"], t["vrf"]));
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(
            ["metallb_bfd_control_packet_input", "metallb_bfd_control_packet_output", "metallb_bfd_echo_packet_input",
             "metallb_bfd_echo_packet_output", "metallb_bfd_session_down_events", "metallb_bfd_session_up", "metallb_bfd_session_up_events"],
            seen.Select(s => s.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(("metallb_bfd_session_up", 1L, "192.0.2.2", "red"), seen);
        Assert.Contains(("metallb_bfd_session_up", 0L, "2001:db8::2", "red"), seen);
        Assert.Contains(("metallb_bfd_control_packet_output", 41L, "192.0.2.2", "red"), seen);
        Assert.Contains(("metallb_bfd_session_down_events", 2L, "2001:db8::2", "red"), seen);
        Assert.All(seen.Where(s => s.Name.Contains("echo", StringComparison.Ordinal)), s => Assert.Equal(0, s.Value));
    }
}
