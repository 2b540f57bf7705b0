using MetalLb.Net.Api.Serialization;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>Upstream's webhook paths and the kind each one validates.</summary>
internal static class WebhookPaths
{
    public const string Convert = "/convert";

    public static IReadOnlyDictionary<string, KindInfo> Validate { get; } = new Dictionary<string, KindInfo>(StringComparer.Ordinal)
    {
        ["/validate-metallb-io-v1beta1-ipaddresspool"] = Kind("metallb.io/v1beta1", "IPAddressPool"),
        ["/validate-metallb-io-v1beta1-l2advertisement"] = Kind("metallb.io/v1beta1", "L2Advertisement"),
        ["/validate-metallb-io-v1beta1-bgpadvertisement"] = Kind("metallb.io/v1beta1", "BGPAdvertisement"),
        ["/validate-metallb-io-v1beta1-community"] = Kind("metallb.io/v1beta1", "Community"),
        ["/validate-metallb-io-v1beta1-bfdprofile"] = Kind("metallb.io/v1beta1", "BFDProfile"),
        ["/validate-metallb-io-v1beta2-bgppeer"] = Kind("metallb.io/v1beta2", "BGPPeer"),
        // Upstream served this path in releases that validated v1beta1 peers; kept for
        // webhook configurations written then.
        ["/validate-metallb-io-v1beta1-bgppeer"] = Kind("metallb.io/v1beta1", "BGPPeer"),
    };

    private static KindInfo Kind(string apiVersion, string kind) =>
        KindRegistry.Find(apiVersion, kind) ?? throw new InvalidOperationException($"{apiVersion} {kind} is not registered");
}
