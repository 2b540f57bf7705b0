using System.Diagnostics.Metrics;
using MetalLb.Net.Hosting.Metrics;

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
    private readonly K8sClientMetrics _client;
    private volatile IReadOnlyList<Announced> _announced = [];
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
        _client = new K8sClientMetrics(_meter);
    }

    /// <summary>Reconcile passes run (each one decides every Service for this node).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    public IReadOnlyList<Announced> AnnouncedNow => _announced;

    public void PassDone(IReadOnlyList<Announced> announced)
    {
        _announced = announced;
        Interlocked.Increment(ref _passes);
        _client.Update();
    }

    public void UpdateFailed() => _client.UpdateError();

    public void ConfigLoaded(bool valid) => _client.ConfigLoaded(valid);

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }

    public sealed record Announced(string Service, string Protocol, string Node, string Ip);
}
