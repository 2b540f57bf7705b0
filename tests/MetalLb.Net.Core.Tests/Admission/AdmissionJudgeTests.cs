using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Admission;
using MetalLb.Net.Core.Config;
using static MetalLb.Net.Core.Tests.Config.B;

namespace MetalLb.Net.Core.Tests.Admission;

public class AdmissionJudgeTests
{
    private const string Ns = "metallb-system";

    private static AdmissionVerdict Judge(AdmissionOperation op, KubeObject obj, ConfigInput stored) =>
        AdmissionJudge.Judge(new AdmissionCase(op, obj, stored, Ns));

    [Fact]
    public void An_overlapping_pool_is_refused_in_the_words_of_validate()
    {
        var stored = new ConfigInput { Pools = [Pool("a", "192.0.2.0/24")] };

        var verdict = Judge(AdmissionOperation.Create, Pool("b", "192.0.2.128/25"), stored);

        Assert.False(verdict.Allowed);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal((ConfigKinds.IPAddressPool, "b"), (error.Kind, error.Name));
        Assert.StartsWith("IPAddressPool \"b\": CIDR \"192.0.2.128/25\" in pool \"b\" overlaps with already defined CIDR \"192.0.2.0/24\"", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_pool_is_allowed_and_updating_a_pool_replaces_the_stored_one()
    {
        var stored = new ConfigInput { Pools = [Pool("a", "192.0.2.0/24")] };

        Assert.True(Judge(AdmissionOperation.Create, Pool("b", "198.51.100.0/24"), stored).Allowed);
        Assert.True(Judge(AdmissionOperation.Update, Pool("a", "192.0.2.0/25"), stored).Allowed);
    }

    [Fact]
    public void Errors_the_stored_configuration_already_had_do_not_block_an_unrelated_write()
    {
        var stored = new ConfigInput { Pools = [Pool("a", "192.0.2.0/24"), Pool("b", "192.0.2.0/25")] };

        Assert.True(Judge(AdmissionOperation.Create, Pool("c", "203.0.113.0/24"), stored).Allowed);
    }

    [Fact]
    public void An_advertisement_naming_an_unknown_community_alias_is_refused()
    {
        var verdict = Judge(AdmissionOperation.Create, Bgp("ad", s => s.Communities = ["nosuchalias"]), new ConfigInput { Pools = [Pool("a", "192.0.2.0/24")] });

        Assert.False(verdict.Allowed);
        Assert.Contains("BGPAdvertisement \"ad\"", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("nosuchalias", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_peer_naming_a_missing_BFDProfile_is_refused_and_allowed_once_it_exists()
    {
        var peer = Peer("p", s => s.BFDProfile = "fast");

        var verdict = Judge(AdmissionOperation.Create, peer, new ConfigInput());
        Assert.False(verdict.Allowed);
        Assert.Contains("peer p referencing non existing bfd profile fast", verdict.Message, StringComparison.Ordinal);

        Assert.True(Judge(AdmissionOperation.Create, peer, new ConfigInput { BfdProfiles = [Bfd("fast")] }).Allowed);
    }

    [Fact]
    public void A_v1beta1_peer_is_judged_after_upstreams_conversion()
    {
        var legacy = new BGPPeerV1Beta1
        {
            Metadata = Meta("old"),
            Spec = new BGPPeerV1Beta1Spec { MyASN = 64500, PeerASN = 64501, PeerAddress = "not-an-ip" },
        };

        var verdict = Judge(AdmissionOperation.Create, legacy, new ConfigInput());

        Assert.False(verdict.Allowed);
        Assert.Contains("invalid BGPPeer address \"not-an-ip\"", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_a_BFDProfile_in_use_is_refused_and_allowed_once_unused()
    {
        var stored = new ConfigInput { BfdProfiles = [Bfd("fast")], Peers = [Peer("p", s => s.BFDProfile = "fast")] };

        var verdict = Judge(AdmissionOperation.Delete, Bfd("fast"), stored);
        Assert.False(verdict.Allowed);
        Assert.Equal("failed to delete BFDProfile fast, used by BGPPeer p: remove spec.bfdProfile from the peer first", verdict.Message);

        Assert.True(Judge(AdmissionOperation.Delete, Bfd("fast"), stored with { Peers = [Peer("p")] }).Allowed);
    }

    [Fact]
    public void Deleting_a_Community_whose_alias_is_used_is_refused_unless_another_defines_it()
    {
        var used = Community("c", ("gold", "64500:1"));
        var ad = Bgp("ad", s => s.Communities = ["gold"]);
        var stored = new ConfigInput { Communities = [used], BgpAdvertisements = [ad] };

        var verdict = Judge(AdmissionOperation.Delete, used, stored);
        Assert.False(verdict.Allowed);
        Assert.Contains("alias \"gold\" is used by BGPAdvertisement ad", verdict.Message, StringComparison.Ordinal);

        var twin = Community("d", ("gold", "64500:1"));
        Assert.True(Judge(AdmissionOperation.Delete, used, stored with { Communities = [used, twin] }).Allowed);
    }

    [Fact]
    public void An_object_created_outside_the_MetalLB_namespace_is_refused_as_upstream()
    {
        var pool = Pool("a", "192.0.2.0/24");
        pool.Metadata.Namespace = "default";

        Assert.Equal("resource must be created in metallb-system namespace", Judge(AdmissionOperation.Create, pool, new ConfigInput()).Message);
    }
}
