using System.Net;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Bfd;

/// <summary>A snapshot of one session, for status, metrics and tests.</summary>
public sealed record BfdSessionStatus(
    string Key,
    IPAddress Peer,
    bool Multihop,
    BfdState State,
    BfdDiagnostic LocalDiagnostic,
    BfdState RemoteState,
    BfdDiagnostic RemoteDiagnostic,
    uint LocalDiscriminator,
    uint RemoteDiscriminator,
    TimeSpan TransmitInterval,
    TimeSpan DetectionTime,
    long ControlPacketInput,
    long ControlPacketOutput,
    long SessionUpEvents,
    long SessionDownEvents,
    DateTimeOffset? LastPacketReceived);
