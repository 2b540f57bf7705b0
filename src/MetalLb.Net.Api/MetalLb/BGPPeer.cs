using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>
/// metallb.io/v1beta2 BGPPeer (the storage version). v1beta1 objects are read as
/// <see cref="BGPPeerV1Beta1"/> and converted with <see cref="BGPPeerV1Beta1.ToV1Beta2"/>.
/// </summary>
public sealed class BGPPeer : KubeObject
{
    [JsonPropertyName("spec")] public BGPPeerSpec Spec { get; set; } = new();
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BGPPeerSpec
{
    /// <summary>AS number of our end of the session (required).</summary>
    [JsonPropertyName("myASN")] public uint MyASN { get; set; }
    /// <summary>AS number expected from the peer; exclusive with <see cref="DynamicASN"/>.</summary>
    [JsonPropertyName("peerASN")] public uint? PeerASN { get; set; }
    /// <summary>"internal" or "external"; exclusive with <see cref="PeerASN"/>.</summary>
    [JsonPropertyName("dynamicASN")] public string? DynamicASN { get; set; }
    /// <summary>The AS number used on the session instead of myASN (local-as).</summary>
    [JsonPropertyName("localASN")] public uint? LocalASN { get; set; }
    [JsonPropertyName("peerAddress")] public string? PeerAddress { get; set; }
    /// <summary>Unnumbered peering over this interface; exclusive with <see cref="PeerAddress"/>.</summary>
    [JsonPropertyName("interface")] public string? Interface { get; set; }
    [JsonPropertyName("sourceAddress")] public string? SourceAddress { get; set; }
    /// <summary>1..16384. <value>179 by default.</value></summary>
    [JsonPropertyName("peerPort")] public int? PeerPort { get; set; }
    /// <summary>A Go duration string ("90s"). <value>90 s by default.</value></summary>
    [JsonPropertyName("holdTime")] public string? HoldTime { get; set; }
    [JsonPropertyName("keepaliveTime")] public string? KeepaliveTime { get; set; }
    [JsonPropertyName("connectTime")] public string? ConnectTime { get; set; }
    [JsonPropertyName("routerID")] public string? RouterID { get; set; }
    [JsonPropertyName("nodeSelectors")] public List<LabelSelector>? NodeSelectors { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("passwordSecret")] public SecretReference? PasswordSecret { get; set; }
    [JsonPropertyName("bfdProfile")] public string? BFDProfile { get; set; }
    [JsonPropertyName("enableGracefulRestart")] public bool? EnableGracefulRestart { get; set; }
    [JsonPropertyName("ebgpMultiHop")] public bool? EbgpMultiHop { get; set; }
    [JsonPropertyName("vrf")] public string? Vrf { get; set; }
    [JsonPropertyName("disableMP")] public bool? DisableMP { get; set; }
    [JsonPropertyName("dualStackAddressFamily")] public bool? DualStackAddressFamily { get; set; }
}

/// <summary>core/v1 SecretReference.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SecretReference
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}
