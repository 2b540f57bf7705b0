using System.Buffers;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Wire;

/// <summary>Each RFC 7606 case gets its prescribed reaction.</summary>
public class UpdateValidatorTests
{
    // Well-formed eBGP attributes for 203.0.113.0/24: ORIGIN, AS_PATH [65001], NEXT_HOP 192.0.2.2.
    private const string Origin = "400101 00";
    private const string AsPath = "400206 0201 0000fde9";
    private const string NextHop = "400304 c0000202";
    private const string Nlri = "18cb0071";

    private static ReceivedUpdate Run(string attributes, string nlri = Nlri, bool internalPeer = false, string withdrawn = "")
    {
        var a = Hex.Parse(attributes);
        var w = Hex.Parse(withdrawn);
        var n = Hex.Parse(nlri);
        var body = new byte[4 + w.Length + a.Length + n.Length];
        body[0] = (byte)(w.Length >> 8);
        body[1] = (byte)w.Length;
        w.CopyTo(body, 2);
        body[2 + w.Length] = (byte)(a.Length >> 8);
        body[3 + w.Length] = (byte)a.Length;
        a.CopyTo(body, 4 + w.Length);
        n.CopyTo(body, 4 + w.Length + a.Length);
        Assert.Equal(OperationStatus.Done, UpdateMessage.TryDecodeBody(body, out var update, out _));
        return UpdateValidator.Validate(update!, fourOctetAs: true, isInternal: internalPeer);
    }

    public static TheoryData<string, string, UpdateErrorAction> Cases => new()
    {
        { "well formed", Origin + AsPath + NextHop, UpdateErrorAction.None },
        { "ORIGIN value 3 (§7.1)", "400101 03" + AsPath + NextHop, UpdateErrorAction.TreatAsWithdraw },
        { "ORIGIN length 2 (§7.1)", "400102 0000" + AsPath + NextHop, UpdateErrorAction.TreatAsWithdraw },
        { "AS_PATH segment overruns (§7.2)", Origin + "400206 0202 0000fde9" + NextHop, UpdateErrorAction.TreatAsWithdraw },
        { "AS_PATH segment type 5 (§7.2)", Origin + "400206 0501 0000fde9" + NextHop, UpdateErrorAction.TreatAsWithdraw },
        { "NEXT_HOP length 5 (§7.3)", Origin + AsPath + "400305 c000020200", UpdateErrorAction.TreatAsWithdraw },
        { "MED length 3 (§7.4)", Origin + AsPath + NextHop + "800403 000001", UpdateErrorAction.TreatAsWithdraw },
        { "LOCAL_PREF from eBGP (§7.5)", Origin + AsPath + NextHop + "400504 00000064", UpdateErrorAction.AttributeDiscard },
        { "ATOMIC_AGGREGATE length 1 (§7.6)", Origin + AsPath + NextHop + "400601 00", UpdateErrorAction.AttributeDiscard },
        { "AGGREGATOR length 5 (§7.7)", Origin + AsPath + NextHop + "c00705 0000000000", UpdateErrorAction.AttributeDiscard },
        { "COMMUNITIES length 3 (§7.8)", Origin + AsPath + NextHop + "c00803 fde800", UpdateErrorAction.TreatAsWithdraw },
        { "LARGE_COMMUNITIES length 8 (RFC 8092 §6)", Origin + AsPath + NextHop + "c02008 0000fde800000001", UpdateErrorAction.TreatAsWithdraw },
        { "ORIGIN flagged optional (§3 c)", "c00101 00" + AsPath + NextHop, UpdateErrorAction.TreatAsWithdraw },
        { "missing NEXT_HOP (§3 d)", Origin + AsPath, UpdateErrorAction.TreatAsWithdraw },
        { "missing ORIGIN (§3 d)", AsPath + NextHop, UpdateErrorAction.TreatAsWithdraw },
        { "ORIGIN twice: second discarded (§3 g)", Origin + AsPath + NextHop + "400101 02", UpdateErrorAction.AttributeDiscard },
        { "attribute overruns the list (§4)", Origin + AsPath + NextHop + "c00810 fde80064", UpdateErrorAction.TreatAsWithdraw },
        { "MP_REACH_NLRI next hop overruns (§7.11)", Origin + AsPath + "800e08 0002 01 20 00000000", UpdateErrorAction.SessionReset },
        { "MP_REACH_NLRI prefix length 129 (§5.3)", Origin + AsPath + "800e16 0002 01 10 20010db8000000000000000000000002 00 81", UpdateErrorAction.SessionReset },
        { "unrecognized well-known attribute (RFC 4271 §6.3)", Origin + AsPath + NextHop + "405401 00", UpdateErrorAction.SessionReset },
        { "unknown optional transitive kept", Origin + AsPath + NextHop + "c05401 07", UpdateErrorAction.None },
        { "AS4_PATH malformed (RFC 6793 §6)", Origin + AsPath + NextHop + "c01103 020100", UpdateErrorAction.AttributeDiscard },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reaction_matches_rfc_7606(string name, string attributes, UpdateErrorAction expected)
    {
        var r = Run(attributes);
        Assert.True(expected == r.Action, $"{name}: {r.Action} ({string.Join("; ", r.Problems)})");
        if (expected == UpdateErrorAction.TreatAsWithdraw)
        {
            Assert.Empty(r.Announced);
            Assert.Equal("203.0.113.0/24", Assert.Single(r.Withdrawn).ToString());
        }
        else if (expected is UpdateErrorAction.None or UpdateErrorAction.AttributeDiscard)
            Assert.Equal("203.0.113.0/24", Assert.Single(r.Announced).ToString());
        else
            Assert.Equal(BgpErrorCode.UpdateMessage, r.Error.Code);
    }

    // A well-formed MP_REACH_NLRI: IPv6 unicast, next hop 2001:db8::2, 2001:db8:7::/48 (and /64 for the second copy).
    private const string MpReach48 = "800e1c 0002 01 10 20010db8000000000000000000000002 00 30 20010db80007";
    private const string MpReach64 = "800e1e 0002 01 10 20010db8000000000000000000000002 00 40 20010db800070001";
    private const string MpUnreach = "800f0a 0002 01 30 20010db80007";

    public static TheoryData<string, string> RepeatedMpAttributes => new()
    {
        { "MP_REACH_NLRI twice, both well formed", MpReach48 + MpReach64 },
        { "MP_REACH_NLRI twice, the first malformed (would be 3/9 alone)", "800e08 0002 01 20 00000000" + MpReach48 },
        { "MP_UNREACH_NLRI twice", MpUnreach + MpUnreach },
        { "MP_REACH_NLRI twice, flags wrong on the second (would be 3/4 alone)", MpReach48 + "c00e1e 0002 01 10 20010db8000000000000000000000002 00 40 20010db800070001" },
    };

    [Theory]
    [MemberData(nameof(RepeatedMpAttributes))]
    public void A_repeated_mp_attribute_resets_with_malformed_attribute_list(string name, string mp)
    {
        // RFC 7606 §3 g: whatever else is wrong, NOTIFICATION 3/1, and no route from either copy.
        var r = Run(Origin + AsPath + NextHop + mp);
        Assert.True(r.Action == UpdateErrorAction.SessionReset, $"{name}: {r.Action} ({string.Join("; ", r.Problems)})");
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)1), (r.Error.Code, r.Error.Subcode));
        Assert.Empty(r.Announced);
    }

    [Fact]
    public void One_mp_reach_and_one_mp_unreach_are_not_a_repeat()
    {
        var r = Run(Origin + AsPath + MpReach64 + MpUnreach, nlri: "");
        Assert.Equal(UpdateErrorAction.None, r.Action);
        Assert.Equal(["2001:db8:7:1::/64"], r.Announced.Select(p => p.ToString()));
        Assert.Equal(["2001:db8:7::/48"], r.Withdrawn.Select(p => p.ToString()));
    }

    [Fact]
    public void Ibgp_without_local_pref_is_treated_as_withdraw()
    {
        Assert.Equal(UpdateErrorAction.TreatAsWithdraw, Run(Origin + "400200" + NextHop, internalPeer: true).Action);
        var ok = Run(Origin + "400200" + NextHop + "400504 000000c8", internalPeer: true);
        Assert.Equal(UpdateErrorAction.None, ok.Action);
        Assert.Equal(200u, ok.LocalPref);
    }

    [Fact]
    public void Withdrawals_alone_need_no_attributes() =>
        Assert.Equal("203.0.113.0/24", Assert.Single(Run("", nlri: "", withdrawn: Nlri).Withdrawn).ToString());

    [Fact]
    public void As4_path_from_a_2_octet_peer_restores_the_real_asns()
    {
        // RFC 6793 §4.2.3: AS_PATH [65010 23456] with AS4_PATH [4200000001] is [65010 4200000001].
        var asPath = new List<AsPathSegment> { new(AsPathSegmentType.AsSequence, [65010, 23456]) };
        var as4 = new List<AsPathSegment> { new(AsPathSegmentType.AsSequence, [4200000001]) };
        Assert.Equal([65010u, 4200000001u], UpdateValidator.MergeAs4Path(asPath, as4).SelectMany(s => s.Asns));
        // An AS4_PATH longer than AS_PATH is ignored.
        var longer = new List<AsPathSegment> { new(AsPathSegmentType.AsSequence, [1, 2, 3]) };
        Assert.Equal([65010u, 23456u], UpdateValidator.MergeAs4Path(asPath, longer).SelectMany(s => s.Asns));
    }

    public static TheoryData<string, string, byte, byte> SessionErrors => new()
    {
        { "withdrawn length overruns", "0010 0000", 3, 1 },
        { "attribute length overruns", "0000 0010 400101", 3, 1 },
        { "NLRI prefix length 33", "0000 0000 21 cb007101 00", 3, 10 },
        { "NLRI prefix truncated", "0000 0000 18 cb00", 3, 10 },
    };

    [Theory]
    [MemberData(nameof(SessionErrors))]
    public void Unlocatable_nlri_resets_the_session(string name, string body, byte code, byte subcode)
    {
        var status = UpdateMessage.TryDecodeBody(Hex.Parse(body), out _, out var error);
        Assert.True(status == OperationStatus.InvalidData, name);
        Assert.Equal(((BgpErrorCode)code, subcode), (error.Code, error.Subcode));
    }
}
