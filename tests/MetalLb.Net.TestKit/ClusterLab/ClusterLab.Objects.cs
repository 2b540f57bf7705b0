using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.TestKit.ClusterLab;

// The Kubernetes objects a real cluster would have for the lab's nodes: what the kubelet writes
// (Node with addresses and conditions, the speaker Pods once running) and the controller's
// memberlist Secret read back as the speakers' mounted key file.
public sealed partial class ClusterLab
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>The label upstream honours to keep a node out of load balancing (presence, any value).</summary>
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    private static readonly ResourceInfo Pods = new("", "v1", "pods", "Pod", true);

    private ResourceClient<GenericObject> PodClient => Api.Generic(Pods);

    private async Task CreateNodeObjectsAsync(LabNode node)
    {
        await Api.Resource<Node>().CreateAsync(new Node
        {
            Metadata = new ObjectMeta
            {
                Name = node.Name,
                Labels = new Dictionary<string, string> { [HostnameLabel] = node.Name, ["kubernetes.io/os"] = "linux" },
            },
        });
        // The kubelet writes status separately (it is a subresource); the emulator drops status on create.
        await Api.Resource<Node>().PatchAsync(null, node.Name, PatchType.Merge, NodeStatusPatch(node, networkUnavailable: false), subresource: "status");
        await CreateSpeakerPodAsync(node);
    }

    private async Task CreateSpeakerPodAsync(LabNode node)
    {
        // The speaker Pod, running with the host's network (pod IP = node IP), as memberlist discovery lists it.
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
        await PodClient.CreateAsync(GenericObject.Parse(pod.ToJsonString()));
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
        await PodClient.PatchAsync(MetalLbNamespace, node.PodName, PatchType.Merge, status.ToJsonString(), subresource: "status");
    }

    private static string NodeStatusPatch(LabNode node, bool networkUnavailable) => new JsonObject
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

    /// <summary>Sets (or with null removes) a label on the node's Node object.</summary>
    public Task SetNodeLabelAsync(LabNode node, string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(node);
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } };
        return Api.Resource<Node>().PatchAsync(null, node.Name, PatchType.Merge, patch.ToJsonString());
    }

    /// <summary>Flips the node's NetworkUnavailable condition, as a CNI does.</summary>
    public Task SetNetworkUnavailableAsync(LabNode node, bool unavailable)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Api.Resource<Node>().PatchAsync(null, node.Name, PatchType.Merge, NodeStatusPatch(node, unavailable), subresource: "status");
    }

    /// <summary>Deletes the node's speaker Pod (memberlist discovery stops listing it) or creates it again.</summary>
    public async Task SetSpeakerPodAsync(LabNode node, bool present)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!present)
        {
            await PodClient.DeleteAsync(MetalLbNamespace, node.PodName);
            return;
        }
        await CreateSpeakerPodAsync(node);
    }

    /// <summary>Waits for the controller's `memberlist` Secret and returns its secretkey as the mounted file holds it.</summary>
    private async Task<string> WaitForMemberlistKeyAsync()
    {
        string? key = null;
        await Eventually.True(async () =>
        {
            if (Controller is { IsRunning: false })
                throw new InvalidOperationException($"the controller exited before creating the memberlist Secret:\n{Controller.ReadLog()}");
            try
            {
                var secret = await Api.Resource<Secret>().GetAsync(MetalLbNamespace, "memberlist");
                key = secret.Data?.GetValueOrDefault("secretkey") is { } b64 ? Encoding.UTF8.GetString(Convert.FromBase64String(b64))
                    : secret.StringData?.GetValueOrDefault("secretkey");
                return key is { Length: > 0 };
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, "the controller creates Secret metallb-system/memberlist (key secretkey)", TimeSpan.FromSeconds(60));
        return key!;
    }
}
