using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>
/// The Kubernetes objects a real cluster would have for a lab's nodes: what the kubelet writes
/// (the Node with its addresses and conditions, the speaker Pod once running, with the host's
/// network so pod IP = node IP, as memberlist discovery lists it).
/// </summary>
public static class LabObjects
{
    public const string MetalLbNamespace = "metallb-system";

    /// <summary>The speaker Pods' labels as upstream's manifests set them (and --ml-labels selects).</summary>
    public const string SpeakerLabels = "app=metallb,component=speaker";

    public const string HostnameLabel = "kubernetes.io/hostname";

    public static readonly ResourceInfo Pods = new("", "v1", "pods", "Pod", true);

    /// <summary>The labels the kubelet puts on a lab node's Node object (a DaemonSet's nodeSelector matches them).</summary>
    public static Dictionary<string, string> NodeLabels(string nodeName) =>
        new(StringComparer.Ordinal) { [HostnameLabel] = nodeName, ["kubernetes.io/os"] = "linux" };

    /// <param name="speakerPod">
    /// Also write the speaker Pod object a kubelet would (the speakers started directly need it
    /// for memberlist discovery); false when the lab's node agent makes the DaemonSet's pods.
    /// </param>
    public static async Task CreateNodeAsync(KubeClient api, LabNode node, bool speakerPod = true)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(node);
        await api.Resource<Node>().CreateAsync(new Node
        {
            Metadata = new ObjectMeta
            {
                Name = node.Name,
                Labels = NodeLabels(node.Name),
            },
        });
        // The kubelet writes status separately (it is a subresource); the emulator drops status on create.
        await api.Resource<Node>().PatchAsync(null, node.Name, PatchType.Merge, NodeStatusPatch(node, networkUnavailable: false), subresource: "status");
        if (speakerPod)
            await CreateSpeakerPodAsync(api, node);
    }

    public static async Task CreateSpeakerPodAsync(KubeClient api, LabNode node)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(node);
        var labels = SpeakerLabels.Split(',').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = node.PodName,
                ["namespace"] = MetalLbNamespace,
                ["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node.Name,
                ["hostNetwork"] = true,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "speaker", ["image"] = "metallb-net-speaker:lab" }),
            },
        };
        var pods = api.Generic(Pods);
        await pods.CreateAsync(GenericObject.Parse(pod.ToJsonString()));
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["hostIP"] = node.IPv4,
                ["podIP"] = node.IPv4,
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = node.IPv4 }, new JsonObject { ["ip"] = node.IPv6 }),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        };
        await pods.PatchAsync(MetalLbNamespace, node.PodName, PatchType.Merge, status.ToJsonString(), subresource: "status");
    }

    public static string NodeStatusPatch(LabNode node, bool networkUnavailable)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = node.IPv4 },
                    new JsonObject { ["type"] = "InternalIP", ["address"] = node.IPv6 },
                    new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" },
                    new JsonObject
                    {
                        ["type"] = "NetworkUnavailable",
                        ["status"] = networkUnavailable ? "True" : "False",
                        ["reason"] = networkUnavailable ? "NoRouteCreated" : "RouteCreated",
                    }),
            },
        }.ToJsonString();
    }
}
