using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Core.Config;

namespace MetalLb.Net.Core.Conversion;

/// <summary>
/// BGPPeer metallb.io/v1beta1 ⇄ v1beta2, with upstream's rules (api/v1beta1/bgppeer_conversion.go,
/// described in docs/webhooks.md): v1beta2 is the hub; every v1beta1 field keeps its name;
/// the timers are decoded and written back as Go durations, and an absent timer becomes an
/// explicit "0s" in both directions — the zero-timer quirk: a v1beta1 peer without timers
/// reads back as v1beta2 with holdTime 0s, not the 90 s default. Fields only v1beta2 has
/// (passwordSecret, vrf, dynamicASN, interface, ...) are dropped on the way to v1beta1, as
/// upstream drops them. Pure: the conversion webhook and `metallb-net plan` both call this.
/// </summary>
public static class BgpPeerConversion
{
    public const string V1Beta1 = "metallb.io/v1beta1";
    public const string V1Beta2 = "metallb.io/v1beta2";

    /// <summary>v1beta1 → v1beta2, or the field that cannot be decoded and why.</summary>
    public static ConversionResult<BGPPeer> ToV1Beta2(BGPPeerV1Beta1 peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var s = peer.Spec ?? new BGPPeerV1Beta1Spec();
        if (Timer(s.HoldTime, "spec.holdTime", out string? error) is not { } hold) return new(null, error);
        if (Timer(s.KeepaliveTime, "spec.keepaliveTime", out error) is not { } keepalive) return new(null, error);
        return new(new BGPPeer
        {
            ApiVersion = V1Beta2,
            Kind = "BGPPeer",
            Metadata = peer.Metadata,
            Spec = new BGPPeerSpec
            {
                MyASN = s.MyASN,
                PeerASN = s.PeerASN is 0 ? null : s.PeerASN,
                PeerAddress = Empty(s.PeerAddress),
                SourceAddress = Empty(s.SourceAddress),
                PeerPort = s.PeerPort is 0 ? null : s.PeerPort,
                HoldTime = hold,
                KeepaliveTime = keepalive,
                RouterID = Empty(s.RouterID),
                Password = Empty(s.Password),
                BFDProfile = Empty(s.BFDProfile),
                EbgpMultiHop = s.EbgpMultiHop == true ? true : null,
                NodeSelectors = s.NodeSelectors is { Count: > 0 } selectors ? [.. selectors.Select(x => FromLegacy(x ?? new()))] : null,
            },
        }, null);
    }

    /// <summary>v1beta2 → v1beta1, or the field that cannot be decoded and why.</summary>
    public static ConversionResult<BGPPeerV1Beta1> ToV1Beta1(BGPPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var s = peer.Spec ?? new BGPPeerSpec();
        if (Timer(s.HoldTime, "spec.holdTime", out string? error) is not { } hold) return new(null, error);
        if (Timer(s.KeepaliveTime, "spec.keepaliveTime", out error) is not { } keepalive) return new(null, error);
        return new(new BGPPeerV1Beta1
        {
            ApiVersion = V1Beta1,
            Kind = "BGPPeer",
            Metadata = peer.Metadata,
            Spec = new BGPPeerV1Beta1Spec
            {
                MyASN = s.MyASN,
                // Required in v1beta1 and written even when zero or empty (no omitempty upstream).
                PeerASN = s.PeerASN ?? 0,
                PeerAddress = s.PeerAddress ?? "",
                SourceAddress = Empty(s.SourceAddress),
                PeerPort = s.PeerPort is 0 ? null : s.PeerPort,
                HoldTime = hold,
                KeepaliveTime = keepalive,
                RouterID = Empty(s.RouterID),
                Password = Empty(s.Password),
                BFDProfile = Empty(s.BFDProfile),
                EbgpMultiHop = s.EbgpMultiHop == true ? true : null,
                NodeSelectors = s.NodeSelectors is { Count: > 0 } selectors ? [.. selectors.Select(x => ToLegacy(x ?? new()))] : null,
            },
        }, null);
    }

    // Upstream: absent → the zero duration, written "0s"; present → decoded and re-encoded.
    private static string? Timer(string? text, string field, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text)) return "0s";
        if (DurationParser.TryParse(text, out var value)) return DurationFormatter.Format(value);
        error = $"{field}: \"{text}\" is not a duration: use one such as \"90s\" or \"1m30s\"";
        return null;
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    // JSON nulls inside lists (which the API server's schema would refuse) read as Go's zero
    // values, never as a crash.
    // A legacy selector with nothing in it is the empty selector (every node), as upstream.
    private static LabelSelector FromLegacy(LegacyNodeSelector selector) =>
        (selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) == 0
            ? new LabelSelector()
            : new LabelSelector
            {
                MatchLabels = selector.MatchLabels is { Count: > 0 } labels ? new(labels, StringComparer.Ordinal) : null,
                MatchExpressions = selector.MatchExpressions is { Count: > 0 } e
                    ? [.. e.Select(r => r ?? new()).Select(r => new LabelSelectorRequirement { Key = r.Key ?? "", Operator = r.Operator ?? "", Values = r.Values is null ? null : [.. r.Values.Select(v => v ?? "")] })]
                    : null,
            };

    // v1beta1's requirement always carries values (no omitempty upstream): [] when there are none.
    private static LegacyNodeSelector ToLegacy(LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels is { Count: > 0 } labels ? new(labels, StringComparer.Ordinal) : null,
        MatchExpressions = selector.MatchExpressions is { Count: > 0 } e
            ? [.. e.Select(r => r ?? new()).Select(r => new LegacySelectorRequirement { Key = r.Key ?? "", Operator = r.Operator ?? "", Values = [.. (r.Values ?? []).Select(v => v ?? "")] })]
            : null,
    };
}

/// <summary>A converted object, or why it could not be converted (the field and what to fix).</summary>
public sealed record ConversionResult<T>(T? Value, string? Error) where T : class;
