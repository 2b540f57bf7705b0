using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>metallb.io/v1beta1 BGPPeer (deprecated; served and converted to v1beta2).</summary>
[CrdKind("BGPPeer", "bgppeers", "bgppeer",
    Description = "A BGP router the speakers open sessions to (deprecated version; use v1beta2).")]
[CrdVersion("v1beta1", Storage = false, Deprecated = true,
    DeprecationWarning = "metallb.io/v1beta1 BGPPeer is deprecated; use metallb.io/v1beta2")]
[PrinterColumn(1, "Address", "string", ".spec.peerAddress")]
[PrinterColumn(2, "ASN", "string", ".spec.peerASN")]
[PrinterColumn(3, "BFD Profile", "string", ".spec.bfdProfile")]
[PrinterColumn(4, "Multi Hops", "string", ".spec.ebgpMultiHop")]
public sealed class BGPPeerV1Beta1 : KubeObject
{
    [JsonPropertyName("spec")] public BGPPeerV1Beta1Spec Spec { get; set; } = new();

    /// <summary>
    /// Upstream's conversion: the legacy node selectors become LabelSelectors, and hold and
    /// keepalive become explicit durations, "0s" when unset (docs/upstream-behaviour.md#bgp-native-engine, a quirk
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

[Description("The session to establish and the nodes that establish it.")]
public sealed class BGPPeerV1Beta1Spec
{
    [Required, Minimum(0), Maximum(4294967295)]
    [Description("Our AS number: the local end of the session.")]
    [JsonPropertyName("myASN")] public uint MyASN { get; set; }

    [Required, Minimum(0), Maximum(4294967295)]
    [Description("The AS number the peer must present.")]
    [JsonPropertyName("peerASN")] public uint? PeerASN { get; set; }

    [Required]
    [Description("The address to connect to.")]
    [JsonPropertyName("peerAddress")] public string? PeerAddress { get; set; }

    [Description("The local address to connect from.")]
    [JsonPropertyName("sourceAddress")] public string? SourceAddress { get; set; }

    /// <summary>0..16384. <value>179 by default.</value></summary>
    [Minimum(0), Maximum(16384), Format("")] // Go uint16 upstream: no format
    [Description("The TCP port to connect to.")]
    [JsonPropertyName("peerPort")] public int? PeerPort { get; set; }

    [Description("The BGP hold time to propose (RFC 4271), a duration such as 90s.")]
    [JsonPropertyName("holdTime")] public string? HoldTime { get; set; }

    [Description("The BGP keepalive interval to use (RFC 4271), a duration.")]
    [JsonPropertyName("keepaliveTime")] public string? KeepaliveTime { get; set; }

    [Description("The BGP identifier to send to the peer, an IPv4 address.")]
    [JsonPropertyName("routerID")] public string? RouterID { get; set; }

    [Description("Selectors choosing the nodes that open this session; empty means every node.")]
    [JsonPropertyName("nodeSelectors")] public List<LegacyNodeSelector>? NodeSelectors { get; set; }

    [Description("Plain-text password for TCP MD5 authentication (RFC 2385).")]
    [JsonPropertyName("password")] public string? Password { get; set; }

    [Description("The BFDProfile to run a BFD session with alongside the BGP session.")]
    [JsonPropertyName("bfdProfile")] public string? BFDProfile { get; set; }

    [Description("The peer is more than one hop away (eBGP multi-hop).")]
    [JsonPropertyName("ebgpMultiHop")] public bool? EbgpMultiHop { get; set; }
}

/// <summary>v1beta1's own node selector shape (same fields as a LabelSelector).</summary>
[Description("Nodes whose labels match both matchLabels and every matchExpressions entry.")]
public sealed class LegacyNodeSelector
{
    [Description("Labels a node must carry with exactly these values.")]
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }

    [Description("Label requirements a node must all meet.")]
    [JsonPropertyName("matchExpressions")] public List<LegacySelectorRequirement>? MatchExpressions { get; set; }
}

public sealed class LegacySelectorRequirement
{
    [Required]
    [Description("The label key.")]
    [JsonPropertyName("key")] public string Key { get; set; } = "";

    [Required]
    [Description("How the label relates to values: In, NotIn, Exists or DoesNotExist.")]
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";

    // The legacy shape requires values even for Exists/DoesNotExist (upstream's v1beta1 schema).
    [Required, MinItems(1)]
    [Description("The values the operator compares the label with.")]
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
}
