using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;

namespace MetalLb.Net.Layer2.Responders;

/// <summary>
/// The responder's counters, under upstream MetalLB's names so dashboards carry over
/// (docs/upstream-behaviour.md#speaker-metrics), plus a count of dropped malformed frames that upstream lacks.
/// Running totals are kept beside the instruments so the speaker host and tests can read them.
/// </summary>
public sealed class Layer2Metrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Layer2";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests, _responses, _gratuitous, _malformed;
    private long _requestsTotal, _responsesTotal, _gratuitousTotal, _malformedTotal;

    public Layer2Metrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("metallb_layer2_requests_received",
            description: "Number of layer2 requests received for owned IPs");
        _responses = _meter.CreateCounter<long>("metallb_layer2_responses_sent",
            description: "Number of layer2 responses sent for owned IPs");
        _gratuitous = _meter.CreateCounter<long>("metallb_layer2_gratuitous_sent",
            description: "Number of gratuitous layer2 packets sent for owned IPs");
        _malformed = _meter.CreateCounter<long>("metallb_layer2_malformed_frames_dropped",
            description: "Number of received ARP/NDP frames dropped as malformed");
    }

    public long RequestsReceived => Interlocked.Read(ref _requestsTotal);

    public long ResponsesSent => Interlocked.Read(ref _responsesTotal);

    public long GratuitousSent => Interlocked.Read(ref _gratuitousTotal);

    public long MalformedDropped => Interlocked.Read(ref _malformedTotal);

    internal void RequestReceived(OwnedAddress ip)
    {
        Interlocked.Increment(ref _requestsTotal);
        _requests.Add(1, ip.IpLabel);
    }

    internal void ResponseSent(OwnedAddress ip)
    {
        Interlocked.Increment(ref _responsesTotal);
        _responses.Add(1, ip.IpLabel);
    }

    internal void GratuitousPacketSent(IPAddress ip)
    {
        Interlocked.Increment(ref _gratuitousTotal);
        _gratuitous.Add(1, new KeyValuePair<string, object?>("ip", ip.ToString()));
    }

    internal void MalformedFrame(string protocol, MalformedReason reason)
    {
        Interlocked.Increment(ref _malformedTotal);
        var tags = new TagList { { "protocol", protocol }, { "reason", ReasonLabel(reason) } };
        _malformed.Add(1, tags);
    }

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }

    private static string ReasonLabel(MalformedReason reason) => reason switch
    {
        MalformedReason.Truncated => "truncated",
        MalformedReason.InvalidHeader => "invalid_header",
        MalformedReason.BadChecksum => "bad_checksum",
        MalformedReason.BadHopLimit => "bad_hop_limit",
        MalformedReason.InvalidOptions => "invalid_options",
        _ => "other",
    };
}
