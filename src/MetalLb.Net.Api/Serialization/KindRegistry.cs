using System.Text.Json.Serialization.Metadata;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Api.Serialization;

/// <summary>One kind the project understands: its apiVersion, kind and JSON metadata.</summary>
public sealed record KindInfo(string ApiVersion, string Kind, JsonTypeInfo TypeInfo, bool Namespaced);

/// <summary>
/// apiVersion + kind → the model type. metallb.io kinds are listed for every version upstream
/// serves, so a manifest written for upstream MetalLB reads unchanged.
/// </summary>
public static class KindRegistry
{
    public const string MetalLbGroup = "metallb.io";

    private static readonly ApiJsonContext Json = ApiJsonContext.Default;

    public static IReadOnlyList<KindInfo> All { get; } =
    [
        new("metallb.io/v1beta1", "IPAddressPool", Json.IPAddressPool, true),
        new("metallb.io/v1beta1", "L2Advertisement", Json.L2Advertisement, true),
        new("metallb.io/v1beta1", "BGPAdvertisement", Json.BGPAdvertisement, true),
        new("metallb.io/v1beta2", "BGPPeer", Json.BGPPeer, true),
        new("metallb.io/v1beta1", "BGPPeer", Json.BGPPeerV1Beta1, true),
        new("metallb.io/v1beta1", "Community", Json.Community, true),
        new("metallb.io/v1beta1", "BFDProfile", Json.BFDProfile, true),
        new("metallb.io/v1beta1", "ServiceL2Status", Json.ServiceL2Status, true),
        new("metallb.io/v1beta1", "ServiceBGPStatus", Json.ServiceBGPStatus, true),
        new("metallb.io/v1beta1", "ConfigurationState", Json.ConfigurationState, true),
        new("v1", "Service", Json.Service, true),
        new("v1", "Node", Json.Node, false),
        new("v1", "Namespace", Json.Namespace, false),
        new("v1", "Secret", Json.Secret, true),
        new("v1", "Event", Json.Event, true),
        new("discovery.k8s.io/v1", "EndpointSlice", Json.EndpointSlice, true),
        new("coordination.k8s.io/v1", "Lease", Json.Lease, true),
        new("v1", "Pod", Json.Pod, true),
    ];

    private static readonly Dictionary<(string, string), KindInfo> ByVersionKind =
        All.ToDictionary(k => (k.ApiVersion, k.Kind));

    public static KindInfo? Find(string apiVersion, string kind) =>
        ByVersionKind.GetValueOrDefault((apiVersion, kind));

    /// <summary>The group of an apiVersion ("" for the core group "v1").</summary>
    public static string GroupOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        int slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    /// <summary>The versions under which a kind is known, for "did you mean" messages.</summary>
    public static IEnumerable<string> VersionsOf(string kind) =>
        All.Where(k => k.Kind == kind).Select(k => k.ApiVersion);

    /// <summary>Kinds of the metallb.io group, for "did you mean" messages.</summary>
    public static IEnumerable<string> MetalLbKinds =>
        All.Where(k => GroupOf(k.ApiVersion) == MetalLbGroup).Select(k => k.Kind).Distinct();

    internal static KubeObject? Cast(object? value) => value as KubeObject;
}
