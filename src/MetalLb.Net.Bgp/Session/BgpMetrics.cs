using System.Diagnostics.Metrics;
using MetalLb.Net.Bgp.Fsm;

namespace MetalLb.Net.Bgp.Session;

/// <summary>
/// Upstream's BGP metric names and label (peer = "addr:port"), so MetalLB dashboards and the
/// MetalLBBGPSessionDown alert keep working. Gauges are observed from session snapshots.
/// </summary>
public sealed class BgpMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Bgp";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public BgpMetrics(Func<IEnumerable<BgpPeerStatus>> peers, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("metallb_bgp_session_up",
            () => peers().Select(p => new Measurement<int>(p.State == BgpState.Established ? 1 : 0, Tag(p))),
            description: "BGP session state (1 is up, 0 is down)");
        _meter.CreateObservableCounter("metallb_bgp_updates_total",
            () => peers().Select(p => new Measurement<long>(p.UpdatesSent, Tag(p))),
            description: "Number of BGP UPDATE messages sent");
        _meter.CreateObservableGauge("metallb_bgp_announced_prefixes_total",
            () => peers().Select(p => new Measurement<int>(p.AnnouncedPrefixes, Tag(p))),
            description: "Number of prefixes currently being advertised on the BGP session");
        _meter.CreateObservableGauge("metallb_bgp_pending_prefixes_total",
            () => peers().Select(p => new Measurement<int>(p.PendingPrefixes, Tag(p))),
            description: "Number of prefixes that should be advertised on the BGP session");
    }

    private static KeyValuePair<string, object?> Tag(BgpPeerStatus p) => new("peer", p.Peer);

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }
}
