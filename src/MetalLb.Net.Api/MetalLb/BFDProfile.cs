using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 BFDProfile: BFD session parameters a BGPPeer can refer to.</summary>
public sealed class BFDProfile : KubeObject
{
    [JsonPropertyName("spec")] public BFDProfileSpec Spec { get; set; } = new();
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BFDProfileSpec
{
    /// <summary>Milliseconds, 10..60000. <value>300 by default.</value></summary>
    [JsonPropertyName("receiveInterval")] public uint? ReceiveInterval { get; set; }
    /// <summary>Milliseconds, 10..60000. <value>300 by default.</value></summary>
    [JsonPropertyName("transmitInterval")] public uint? TransmitInterval { get; set; }
    /// <summary>2..255. <value>3 by default.</value></summary>
    [JsonPropertyName("detectMultiplier")] public uint? DetectMultiplier { get; set; }
    /// <summary>Milliseconds, 10..60000. <value>50 by default.</value></summary>
    [JsonPropertyName("echoInterval")] public uint? EchoInterval { get; set; }
    [JsonPropertyName("echoMode")] public bool? EchoMode { get; set; }
    [JsonPropertyName("passiveMode")] public bool? PassiveMode { get; set; }
    /// <summary>1..254. <value>254 by default.</value></summary>
    [JsonPropertyName("minimumTtl")] public uint? MinimumTtl { get; set; }
}
