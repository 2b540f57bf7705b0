using System.Diagnostics.Metrics;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>
/// Upstream's FRR-mode BFD metric names, help texts and labels (peer = the peer's address,
/// vrf), so its dashboards work unchanged. Echo counters stay at zero: echo is not implemented.
/// Upstream's metallb_bfd_zebra_notifications is FRR-internal and not exported.
/// </summary>
public sealed class BfdMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Bgp.Bfd";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly string _vrf;

    public BfdMetrics(Func<IEnumerable<BfdSessionStatus>> sessions, string vrf = "default", IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        _vrf = vrf;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("metallb_bfd_session_up",
            () => sessions().Select(s => new Measurement<int>(s.State == BfdState.Up ? 1 : 0, Tags(s))),
            description: "BFD session state (1 is up, 0 is down)");
        Counter(sessions, "metallb_bfd_control_packet_input", s => s.ControlPacketInput, "Number of received BFD control packets");
        Counter(sessions, "metallb_bfd_control_packet_output", s => s.ControlPacketOutput, "Number of sent BFD control packets");
        Counter(sessions, "metallb_bfd_echo_packet_input", _ => 0, "Number of received BFD echo packets");
        Counter(sessions, "metallb_bfd_echo_packet_output", _ => 0, "Number of sent BFD echo packets");
        Counter(sessions, "metallb_bfd_session_up_events", s => s.SessionUpEvents, "Number of BFD session up events");
        Counter(sessions, "metallb_bfd_session_down_events", s => s.SessionDownEvents, "Number of BFD session down events");
    }

    private void Counter(Func<IEnumerable<BfdSessionStatus>> sessions, string name, Func<BfdSessionStatus, long> value, string help) =>
        _meter.CreateObservableCounter(name, () => sessions().Select(s => new Measurement<long>(value(s), Tags(s))), description: help);

    private KeyValuePair<string, object?>[] Tags(BfdSessionStatus s) => [new("peer", s.Peer.ToString()), new("vrf", _vrf)];

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }
}
