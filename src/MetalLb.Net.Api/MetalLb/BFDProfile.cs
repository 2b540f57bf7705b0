using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 BFDProfile: BFD session parameters a BGPPeer can refer to.</summary>
[CrdKind("BFDProfile", "bfdprofiles", "bfdprofile",
    Description = "Settings of a BFD session that a BGPPeer can attach to its BGP session.")]
[CrdVersion("v1beta1")]
[PrinterColumn(1, "Passive Mode", "boolean", ".spec.passiveMode")]
[PrinterColumn(2, "Transmit Interval", "integer", ".spec.transmitInterval")]
[PrinterColumn(3, "Receive Interval", "integer", ".spec.receiveInterval")]
[PrinterColumn(4, "Multiplier", "integer", ".spec.detectMultiplier")]
public sealed class BFDProfile : KubeObject
{
    [JsonPropertyName("spec")] public BFDProfileSpec Spec { get; set; } = new();
}

// Upstream applies the BFD defaults in code, not in the schema (no `default:`), so an
// unset field stays unset in the object; we match that and name the defaults in descriptions.
[Description("BFD timers and modes.")]
public sealed class BFDProfileSpec
{
    /// <summary>Milliseconds, 10..60000. <value>300 by default.</value></summary>
    [Minimum(10), Maximum(60000)]
    [Description("The shortest interval, in milliseconds, at which this end can receive control packets. 300 when unset.")]
    [JsonPropertyName("receiveInterval")] public uint? ReceiveInterval { get; set; }

    /// <summary>Milliseconds, 10..60000. <value>300 by default.</value></summary>
    [Minimum(10), Maximum(60000)]
    [Description("The shortest interval, in milliseconds and before jitter, at which this end wants to send control packets. 300 when unset.")]
    [JsonPropertyName("transmitInterval")] public uint? TransmitInterval { get; set; }

    /// <summary>2..255. <value>3 by default.</value></summary>
    [Minimum(2), Maximum(255)]
    [Description("How many remote transmit intervals may pass without a packet before the session is declared down. 3 when unset.")]
    [JsonPropertyName("detectMultiplier")] public uint? DetectMultiplier { get; set; }

    /// <summary>Milliseconds, 10..60000. <value>50 by default.</value></summary>
    [Minimum(10), Maximum(60000)]
    [Description("The shortest interval, in milliseconds, at which this end can handle echo packets. 50 when unset.")]
    [JsonPropertyName("echoInterval")] public uint? EchoInterval { get; set; }

    [Description("Turns on echo mode. Off by default; not usable on multi-hop sessions.")]
    [JsonPropertyName("echoMode")] public bool? EchoMode { get; set; }

    [Description("A passive session never starts the exchange: it waits for the peer's control packets before answering.")]
    [JsonPropertyName("passiveMode")] public bool? PassiveMode { get; set; }

    /// <summary>1..254. <value>254 by default.</value></summary>
    [Minimum(1), Maximum(254)]
    [Description("Multi-hop sessions only: the lowest TTL accepted on incoming control packets. 254 when unset.")]
    [JsonPropertyName("minimumTtl")] public uint? MinimumTtl { get; set; }
}
