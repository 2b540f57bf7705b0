using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Conversion;

namespace MetalLb.Net.Core.Tests.Conversion;

/// <summary>Upstream's api/v1beta1 bgppeer_conversion rules, value by value.</summary>
public class BgpPeerConversionTests
{
    private static BGPPeerV1Beta1 Legacy(Action<BGPPeerV1Beta1Spec>? change = null)
    {
        var peer = new BGPPeerV1Beta1
        {
            ApiVersion = BgpPeerConversion.V1Beta1,
            Kind = "BGPPeer",
            Metadata = new ObjectMeta { Name = "peer1", Namespace = "metallb-system", Labels = new() { ["a"] = "b" } },
            Spec = new BGPPeerV1Beta1Spec { MyASN = 42, PeerASN = 142, PeerAddress = "192.0.2.4" },
        };
        change?.Invoke(peer.Spec);
        return peer;
    }

    [Fact]
    public void A_v1beta1_peer_without_timers_gets_explicit_zero_timers_the_upstream_quirk()
    {
        var peer = BgpPeerConversion.ToV1Beta2(Legacy()).Value!;

        Assert.Equal((BgpPeerConversion.V1Beta2, "0s", "0s"), (peer.ApiVersion, peer.Spec.HoldTime, peer.Spec.KeepaliveTime));
        Assert.Equal(((uint)42, (uint?)142, "192.0.2.4"), (peer.Spec.MyASN, peer.Spec.PeerASN, peer.Spec.PeerAddress));
        Assert.Equal("b", peer.Metadata.Labels!["a"]);
    }

    [Fact]
    public void Every_v1beta1_field_is_carried_and_timers_are_rewritten_as_Go_durations()
    {
        var peer = BgpPeerConversion.ToV1Beta2(Legacy(s =>
        {
            s.PeerPort = 1179;
            s.HoldTime = "180s";
            s.KeepaliveTime = "1s";
            s.RouterID = "198.51.100.40";
            s.SourceAddress = "198.51.100.41";
            s.EbgpMultiHop = true;
            s.BFDProfile = "default";
            s.Password = "nopass";
            s.NodeSelectors = [new LegacyNodeSelector
            {
                MatchLabels = new() { ["foo"] = "bar" },
                MatchExpressions = [new LegacySelectorRequirement { Key = "k", Operator = "In", Values = ["quux"] }],
            }];
        })).Value!.Spec;

        Assert.Equal((1179, "3m0s", "1s"), (peer.PeerPort, peer.HoldTime, peer.KeepaliveTime));
        Assert.Equal(("198.51.100.40", "198.51.100.41", true, "default", "nopass"),
            (peer.RouterID, peer.SourceAddress, peer.EbgpMultiHop, peer.BFDProfile, peer.Password));
        var selector = Assert.Single(peer.NodeSelectors!);
        Assert.Equal("bar", selector.MatchLabels!["foo"]);
        var requirement = Assert.Single(selector.MatchExpressions!);
        Assert.Equal(("k", "In", "quux"), (requirement.Key, requirement.Operator, Assert.Single(requirement.Values!)));
    }

    [Fact]
    public void An_empty_legacy_selector_becomes_the_empty_selector()
    {
        var peer = BgpPeerConversion.ToV1Beta2(Legacy(s => s.NodeSelectors = [new LegacyNodeSelector()])).Value!;

        var selector = Assert.Single(peer.Spec.NodeSelectors!);
        Assert.Null(selector.MatchLabels);
        Assert.Null(selector.MatchExpressions);
    }

    [Fact]
    public void A_v1beta2_peer_reads_as_v1beta1_with_zero_timers_and_loses_the_fields_v1beta1_lacks()
    {
        var v2 = new BGPPeer
        {
            ApiVersion = BgpPeerConversion.V1Beta2,
            Kind = "BGPPeer",
            Metadata = new ObjectMeta { Name = "p", Namespace = "metallb-system" },
            Spec = new BGPPeerSpec
            {
                MyASN = 64500, DynamicASN = "external", Interface = "eth0", Vrf = "red",
                PasswordSecret = new SecretReference { Name = "s" },
                NodeSelectors = [new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "k", Operator = "Exists" }] }],
            },
        };

        var v1 = BgpPeerConversion.ToV1Beta1(v2).Value!;

        Assert.Equal((BgpPeerConversion.V1Beta1, "0s", "0s"), (v1.ApiVersion, v1.Spec.HoldTime, v1.Spec.KeepaliveTime));
        // Required in v1beta1 and written even when v1beta2 has none.
        Assert.Equal(((uint?)0, ""), (v1.Spec.PeerASN, v1.Spec.PeerAddress));
        var requirement = Assert.Single(Assert.Single(v1.Spec.NodeSelectors!).MatchExpressions!);
        Assert.Empty(requirement.Values!);
    }

    [Fact]
    public void v1beta1_to_v1beta2_and_back_keeps_upstreams_values()
    {
        var original = Legacy(s => { s.HoldTime = "90s"; s.PeerPort = 1179; });

        var back = BgpPeerConversion.ToV1Beta1(BgpPeerConversion.ToV1Beta2(original).Value!).Value!.Spec;

        Assert.Equal(("1m30s", "0s", 1179, (uint?)142), (back.HoldTime, back.KeepaliveTime, back.PeerPort, back.PeerASN));
    }

    [Theory]
    [InlineData("90", "spec.holdTime")]
    [InlineData("soon", "spec.holdTime")]
    public void A_timer_that_is_not_a_duration_is_refused_with_the_field(string hold, string field)
    {
        var result = BgpPeerConversion.ToV1Beta2(Legacy(s => s.HoldTime = hold));

        Assert.Null(result.Value);
        Assert.StartsWith(field, result.Error, StringComparison.Ordinal);
    }
}
