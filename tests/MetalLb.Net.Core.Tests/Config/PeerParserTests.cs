using System.Text;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Core.Networking;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Config;

public class PeerParserTests
{
    private static ConfigResult Parse(params BGPPeer[] peers) => ConfigParser.Parse(Input(i => i with
    {
        Peers = peers,
        BfdProfiles = [Bfd("fast")],
        Secrets =
        [
            Secret("auth", "kubernetes.io/basic-auth", data: new() { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret")) }),
            Secret("auth-plain", "kubernetes.io/basic-auth", stringData: new() { ["password"] = "plain" }),
            Secret("opaque", "Opaque", data: new() { ["password"] = "eA==" }),
            Secret("nokey", "kubernetes.io/basic-auth", data: new() { ["username"] = "eA==" }),
        ],
    }));

    public static TheoryData<string, BGPPeer, string, bool> Invalid => new()
    {
        { "R1 myASN zero", Peer("p", s => s.MyASN = 0), "missing local ASN", false },
        { "R2 neither peerASN nor dynamicASN", Peer("p", s => s.PeerASN = null), "missing peer ASN and dynamicASN", false },
        { "R2 both peerASN and dynamicASN", Peer("p", s => s.DynamicASN = "external"), "both peer ASN and dynamicASN specified", false },
        { "R2 unknown dynamicASN", Peer("p", s => { s.PeerASN = null; s.DynamicASN = "sideways"; }), "invalid dynamicASN sideways", false },
        { "R3 ebgpMultiHop on iBGP", Peer("p", s => { s.PeerASN = 64500; s.EbgpMultiHop = true; }), "invalid ebgp-multihop parameter set for an ibgp peer", false },
        { "R4 neither address nor interface", Peer("p", s => s.PeerAddress = null), "peer has no Address or Interface specified", false },
        { "R4 both address and interface", Peer("p", s => s.Interface = "eth0"), "peer has both Address and Interface specified", false },
        { "R5 hold time below 3s", Peer("p", s => s.HoldTime = "2s"), "invalid hold time \"2s\": must be 0 or >=3s", false },
        { "R5 keepalive above hold", Peer("p", s => { s.HoldTime = "30s"; s.KeepaliveTime = "40s"; }), "invalid keepaliveTime \"40s\", must be lower than holdTime \"30s\"", false },
        { "R5 keepalive only derives a hold below 3s", Peer("p", s => s.KeepaliveTime = "900ms"), "invalid hold time", false },
        { "R5 unparsable hold time", Peer("p", s => s.HoldTime = "ninety"), "invalid holdTime \"ninety\"", false },
        { "R5 connectTime not whole seconds", Peer("p", s => s.ConnectTime = "1500ms"), "invalid connectTime", false },
        { "R6 bad peer address", Peer("p", s => s.PeerAddress = "192.0.2.300"), "invalid BGPPeer address \"192.0.2.300\"", false },
        { "R6 bad router ID", Peer("p", s => s.RouterID = "router-1"), "invalid router ID \"router-1\"", false },
        { "R6 bad source address", Peer("p", s => s.SourceAddress = "10.0.0"), "invalid source IP \"10.0.0\"", false },
        { "R7 duplicate nodeSelectors", Peer("p", s => s.NodeSelectors = [Sel("a=b"), Sel("a=b")]), "duplicate definition of nodeSelectors", false },
        { "R7 node selector that does not convert", Peer("p", s => s.NodeSelectors = [Expr("a", "Exists", "x")]), "values set must be empty", false },
        { "R8 password and passwordSecret", Peer("p", s => { s.Password = "x"; s.PasswordSecret = new() { Name = "auth" }; }), "can not have both password and secret ref set", false },
        { "R9 missing secret is transient", Peer("p", s => s.PasswordSecret = new() { Name = "ghost" }), "secret ref not found", true },
        { "R9 secret of the wrong type", Peer("p", s => s.PasswordSecret = new() { Name = "opaque" }), "type \"kubernetes.io/basic-auth\" is expected", false },
        { "R9 secret without password key", Peer("p", s => s.PasswordSecret = new() { Name = "nokey" }), "password not specified in the secret", false },
        { "R10 missing BFD profile is transient", Peer("p", s => s.BFDProfile = "slow"), "referencing non existing bfd profile slow", true },
        { "port out of range", Peer("p", s => s.PeerPort = 20000), "invalid peerPort 20000", false },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_peer_is_blamed(string rule, BGPPeer peer, string message, bool transient)
    {
        var result = Parse(peer);
        var error = ConfigAssert.SingleError(result, ConfigKinds.BGPPeer, "p", message);
        Assert.Equal(transient, error.Transient);
        Assert.True(result.Pools is not null, rule + ": a peer error must not block allocation");
    }

    public static TheoryData<string, string?, string?, double?, double?> Timers => new()
    {
        { "R5 no timers: engine default", null, null, null, null },
        { "R5 hold only: keepalive is a third", "90s", null, 90, 30 },
        { "R5 keepalive only: hold is three times", null, "10s", 30, 10 },
        { "R5 both given", "1m30s", "20s", 90, 20 },
        { "R5 zero hold disables keepalives (v1beta1 conversion)", "0s", "0s", 0, 0 },
        { "R5 hold 3.5s truncates to 3s and is accepted", "3500ms", null, 3.5, 1.1666666 },
    };

    [Theory]
    [MemberData(nameof(Timers))]
    public void Timers_resolve_as_upstream(string rule, string? hold, string? keepalive, double? holdSeconds, double? keepaliveSeconds)
    {
        var peer = Assert.Single(ConfigAssert.Valid(Parse(Peer("p", s => { s.HoldTime = hold; s.KeepaliveTime = keepalive; }))).Peers);
        Assert.True(holdSeconds is null ? peer.HoldTime is null : peer.HoldTime == TimeSpan.FromSeconds(holdSeconds.Value), rule);
        Assert.Equal(keepaliveSeconds is null ? null : TimeSpan.FromTicks((long)(keepaliveSeconds.Value * TimeSpan.TicksPerSecond)), peer.KeepaliveTime);
    }

    [Theory]
    [InlineData("auth", "s3cret")]
    [InlineData("auth-plain", "plain")]
    public void R9_password_is_read_from_the_secret(string secret, string password)
    {
        var peer = Assert.Single(ConfigAssert.Valid(Parse(Peer("p", s => s.PasswordSecret = new() { Name = secret }))).Peers);
        Assert.Equal(password, peer.Password);
    }

    [Fact]
    public void Defaults_and_fields_are_carried_into_the_model()
    {
        var peer = Assert.Single(ConfigAssert.Valid(Parse(Peer("p", s =>
        {
            s.RouterID = "10.0.0.1";
            s.SourceAddress = "192.0.2.254";
            s.BFDProfile = "fast";
            s.ConnectTime = "5s";
            s.NodeSelectors = [Sel("role=edge")];
        }))).Peers);
        Assert.Equal(179, peer.Port);
        Assert.Equal(IpAddress.Parse("192.0.2.1"), peer.Address);
        Assert.Equal(IpAddress.Parse("10.0.0.1"), peer.RouterId);
        Assert.Equal(64501u, peer.PeerAsn);
        Assert.Equal("fast", peer.BfdProfile);
        Assert.Equal(TimeSpan.FromSeconds(5), peer.ConnectTime);
        Assert.False(peer.IsIbgp);
        Assert.True(peer.SelectsNode(Labels("role=edge")));
        Assert.False(peer.SelectsNode(Labels("role=core")));
    }

    [Fact]
    public void V1beta1_peer_converts_and_parses()
    {
        var old = new BGPPeerV1Beta1 { Metadata = Meta("old"), Spec = new() { MyASN = 64500, PeerASN = 64500, PeerAddress = "2001:db8::1" } };
        var peer = Assert.Single(ConfigAssert.Valid(Parse(old.ToV1Beta2())).Peers);
        Assert.True(peer.IsIbgp);
        Assert.Equal(TimeSpan.Zero, peer.HoldTime);
    }

    [Fact]
    public void Unnumbered_peer_with_dynamic_asn()
    {
        var peer = Assert.Single(ConfigAssert.Valid(Parse(Peer("p", s => { s.PeerAddress = null; s.Interface = "eth1"; s.PeerASN = null; s.DynamicASN = "internal"; }))).Peers);
        Assert.Equal("eth1", peer.Interface);
        Assert.Equal(DynamicAsnMode.Internal, peer.DynamicAsn);
        Assert.True(peer.IsIbgp);
    }
}
