using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 BGPPeer (deprecated; served and converted to v1beta2).</summary>
public sealed class BGPPeerV1Beta1 : KubeObject
{
    [JsonPropertyName("spec")] public BGPPeerV1Beta1Spec Spec { get; set; } = new();

    /// <summary>
    /// Upstream's conversion: the legacy node selectors become LabelSelectors, and hold and
    /// keepalive become explicit durations, "0s" when unset (reference/speaker.md §7, a quirk
    /// that gives v1beta1 peers without timers a hold time of 0).
    /// </summary>
    public BGPPeer ToV1Beta2() => new()
    {
        ApiVersion = "metallb.io/v1beta2",
        Kind = "BGPPeer",
        Metadata = Metadata,
        Spec = new BGPPeerSpec
        {
            MyASN = Spec.MyASN,
            PeerASN = Spec.PeerASN,
            PeerAddress = Spec.PeerAddress,
            SourceAddress = Spec.SourceAddress,
            PeerPort = Spec.PeerPort,
            HoldTime = Spec.HoldTime ?? "0s",
            KeepaliveTime = Spec.KeepaliveTime ?? "0s",
            RouterID = Spec.RouterID,
            Password = Spec.Password,
            BFDProfile = Spec.BFDProfile,
            EbgpMultiHop = Spec.EbgpMultiHop,
            NodeSelectors = Spec.NodeSelectors?.Select(s => new LabelSelector
            {
                MatchLabels = s.MatchLabels,
                MatchExpressions = s.MatchExpressions?.Select(e => new LabelSelectorRequirement
                {
                    Key = e.Key, Operator = e.Operator, Values = e.Values,
                }).ToList(),
            }).ToList(),
        },
    };
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BGPPeerV1Beta1Spec
{
    [JsonPropertyName("myASN")] public uint MyASN { get; set; }
    [JsonPropertyName("peerASN")] public uint? PeerASN { get; set; }
    [JsonPropertyName("peerAddress")] public string? PeerAddress { get; set; }
    [JsonPropertyName("sourceAddress")] public string? SourceAddress { get; set; }
    /// <summary>0..16384. <value>179 by default.</value></summary>
    [JsonPropertyName("peerPort")] public int? PeerPort { get; set; }
    [JsonPropertyName("holdTime")] public string? HoldTime { get; set; }
    [JsonPropertyName("keepaliveTime")] public string? KeepaliveTime { get; set; }
    [JsonPropertyName("routerID")] public string? RouterID { get; set; }
    [JsonPropertyName("nodeSelectors")] public List<LegacyNodeSelector>? NodeSelectors { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("bfdProfile")] public string? BFDProfile { get; set; }
    [JsonPropertyName("ebgpMultiHop")] public bool? EbgpMultiHop { get; set; }
}

/// <summary>v1beta1's own node selector shape (same fields as a LabelSelector).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class LegacyNodeSelector
{
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions")] public List<LegacySelectorRequirement>? MatchExpressions { get; set; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class LegacySelectorRequirement
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
}
