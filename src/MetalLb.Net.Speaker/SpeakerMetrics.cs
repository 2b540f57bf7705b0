using System.Diagnostics.Metrics;

namespace MetalLb.Net.Speaker;

/// <summary>
/// The speaker's own metrics under upstream's names, so dashboards carry over:
/// metallb_speaker_announced (1 per service, protocol, node and IP announced from here) and the
/// config gauges. Layer 2, BGP and gossip publish their own from their libraries.
/// </summary>
public sealed class SpeakerMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Speaker";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _updates, _updateErrors;
    private volatile IReadOnlyList<Announced> _announced = [];
    private volatile int _configLoaded, _configStale;
    private long _passes;

    public SpeakerMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("metallb_speaker_announced", () => _announced.Select(a => new Measurement<int>(1,
                new KeyValuePair<string, object?>("service", a.Service),
                new KeyValuePair<string, object?>("protocol", a.Protocol),
                new KeyValuePair<string, object?>("node", a.Node),
                new KeyValuePair<string, object?>("ip", a.Ip))),
            description: "Services being announced from this node. This is desired state, it does not guarantee that the routing protocols have converged.");
        _updates = _meter.CreateCounter<long>("metallb_k8s_client_updates_total",
            description: "Number of k8s object updates that have been processed.");
        _updateErrors = _meter.CreateCounter<long>("metallb_k8s_client_update_errors_total",
            description: "Number of k8s object updates that failed for some reason.");
        _meter.CreateObservableGauge("metallb_k8s_client_config_loaded_bool", () => _configLoaded,
            description: "1 if the MetalLB configuration was successfully loaded at least once.");
        _meter.CreateObservableGauge("metallb_k8s_client_config_stale_bool", () => _configStale,
            description: "1 if running on a stale configuration, because the latest config failed to load.");
    }

    /// <summary>Reconcile passes run (each one decides every Service for this node).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    public IReadOnlyList<Announced> AnnouncedNow => _announced;

    public void PassDone(IReadOnlyList<Announced> announced)
    {
        _announced = announced;
        Interlocked.Increment(ref _passes);
        _updates.Add(1);
    }

    public void UpdateFailed() => _updateErrors.Add(1);

    public void ConfigLoaded(bool valid)
    {
        if (valid)
            _configLoaded = 1;
        _configStale = valid ? 0 : 1;
    }

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }

    public sealed record Announced(string Service, string Protocol, string Node, string Ip);
}
