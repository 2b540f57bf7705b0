using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.MetalLb;

/// <summary>
/// metallb.io/v1beta2 BGPPeer (the storage version). v1beta1 objects are read as
/// <see cref="BGPPeerV1Beta1"/> and converted with <see cref="BGPPeerV1Beta1.ToV1Beta2"/>.
/// </summary>
[CrdKind("BGPPeer", "bgppeers", "bgppeer",
    Description = "A BGP router the speakers open sessions to, and how those sessions are set up.")]
[CrdVersion("v1beta2")]
[PrinterColumn(1, "Address", "string", ".spec.peerAddress")]
[PrinterColumn(2, "ASN", "string", ".spec.peerASN")]
[PrinterColumn(3, "BFD Profile", "string", ".spec.bfdProfile")]
[PrinterColumn(4, "Multi Hops", "string", ".spec.ebgpMultiHop")]
public sealed class BGPPeer : KubeObject
{
    [JsonPropertyName("spec")] public BGPPeerSpec Spec { get; set; } = new();
}

[Description("The session to establish and the nodes that establish it.")]
public sealed class BGPPeerSpec
{
    /// <summary>AS number of our end of the session (required).</summary>
    [Required, Minimum(0), Maximum(4294967295)]
    [Description("Our AS number: the local end of the session.")]
    [JsonPropertyName("myASN")] public uint MyASN { get; set; }

    /// <summary>AS number expected from the peer; exclusive with <see cref="DynamicASN"/>.</summary>
    [Minimum(0), Maximum(4294967295)]
    [Description("The AS number the peer must present. Give exactly one of peerASN and dynamicASN.")]
    [JsonPropertyName("peerASN")] public uint? PeerASN { get; set; }

    /// <summary>"internal" or "external"; exclusive with <see cref="PeerASN"/>.</summary>
    [Enum("internal", "external")]
    [Description("Accept the peer's AS number without naming it: internal requires it to equal myASN, external requires it to differ. Give exactly one of peerASN and dynamicASN.")]
    [JsonPropertyName("dynamicASN")] public string? DynamicASN { get; set; }

    /// <summary>The AS number used on the session instead of myASN (local-as).</summary>
    [Minimum(1), Maximum(4294967295)]
    [Description("An AS number to present to this peer instead of myASN (local-as).")]
    [JsonPropertyName("localASN")] public uint? LocalASN { get; set; }

    [Description("The address to connect to. Give exactly one of peerAddress and interface.")]
    [JsonPropertyName("peerAddress")] public string? PeerAddress { get; set; }

    /// <summary>Unnumbered peering over this interface; exclusive with <see cref="PeerAddress"/>.</summary>
    [Description("Peer without an address (BGP unnumbered) over this node interface. The name is not checked; a wrong one only keeps the session down. Give exactly one of peerAddress and interface.")]
    [JsonPropertyName("interface")] public string? Interface { get; set; }

    [Description("The local address to connect from.")]
    [JsonPropertyName("sourceAddress")] public string? SourceAddress { get; set; }

    /// <summary>1..16384. <value>179 by default.</value></summary>
    [Default("179"), Minimum(1), Maximum(16384), Format("")] // Go uint16 upstream: no format
    [Description("The TCP port to connect to.")]
    [JsonPropertyName("peerPort")] public int? PeerPort { get; set; }

    /// <summary>A Go duration string ("90s"). <value>90 s by default.</value></summary>
    [Description("The BGP hold time to propose (RFC 4271), a duration such as 90s; 0 or at least 3s.")]
    [JsonPropertyName("holdTime")] public string? HoldTime { get; set; }

    [Description("The BGP keepalive interval to use (RFC 4271), a duration no longer than the hold time.")]
    [JsonPropertyName("keepaliveTime")] public string? KeepaliveTime { get; set; }

    [CelRule("duration(self).getSeconds() >= 1 && duration(self).getSeconds() <= 65535",
        "connectTime must be between 1 and 65535 seconds")]
    [CelRule("duration(self).getMilliseconds() % 1000 == 0", "connectTime must be a whole number of seconds")]
    [Description("How long to wait between attempts to connect to the peer, a duration in whole seconds (1s to 65535s).")]
    [JsonPropertyName("connectTime")] public string? ConnectTime { get; set; }

    [Description("The BGP identifier to send to the peer, an IPv4 address.")]
    [JsonPropertyName("routerID")] public string? RouterID { get; set; }

    [Description("Label selectors choosing the nodes that open this session; empty means every node.")]
    [JsonPropertyName("nodeSelectors")] public List<LabelSelector>? NodeSelectors { get; set; }

    [Description("Plain-text password for TCP MD5 authentication (RFC 2385). Prefer passwordSecret.")]
    [JsonPropertyName("password")] public string? Password { get; set; }

    [Description("A Secret holding the TCP MD5 password: of type kubernetes.io/basic-auth, in MetalLB's namespace, with the password under the key \"password\".")]
    [JsonPropertyName("passwordSecret")] public SecretReference? PasswordSecret { get; set; }

    [Description("The BFDProfile to run a BFD session with alongside the BGP session; none when unset.")]
    [JsonPropertyName("bfdProfile")] public string? BFDProfile { get; set; }

    [CelRule("self == oldSelf", "enableGracefulRestart cannot be changed after creation")]
    [Description("Let the peer keep forwarding along known routes while our BGP session restarts (graceful restart). Fixed at creation, since changing it needs a session restart.")]
    [JsonPropertyName("enableGracefulRestart")] public bool? EnableGracefulRestart { get; set; }

    [Description("The peer is more than one hop away (eBGP multi-hop).")]
    [JsonPropertyName("ebgpMultiHop")] public bool? EbgpMultiHop { get; set; }

    [Description("Open the session through an interface in this host VRF.")]
    [JsonPropertyName("vrf")] public string? Vrf { get; set; }

    [Default("false")]
    [Description("Deprecated in favour of dualStackAddressFamily: keep IPv4 and IPv6 routes on separate sessions instead of multiprotocol BGP.")]
    [JsonPropertyName("disableMP")] public bool? DisableMP { get; set; }

    [Default("false")]
    [Description("Exchange both IPv4 and IPv6 prefixes over this session, whatever its own address family.")]
    [JsonPropertyName("dualStackAddressFamily")] public bool? DualStackAddressFamily { get; set; }
}

/// <summary>core/v1 SecretReference.</summary>
[MapType("atomic")]
public sealed class SecretReference
{
    [Description("The Secret's name, unique within its namespace.")]
    [JsonPropertyName("name")] public string? Name { get; set; }


    [Description("The Secret's namespace.")]
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}
