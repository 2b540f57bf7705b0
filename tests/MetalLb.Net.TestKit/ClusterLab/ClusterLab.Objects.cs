using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Lab;

namespace MetalLb.Net.TestKit.ClusterLab;

// The Kubernetes objects a real cluster would have for the lab's nodes: what the kubelet writes
// (Node with addresses and conditions, the speaker Pods once running) and the controller's
// memberlist Secret read back as the speakers' mounted key file.
public sealed partial class ClusterLab
{
    public const string HostnameLabel = LabObjects.HostnameLabel;

    /// <summary>The label upstream honours to keep a node out of load balancing (presence, any value).</summary>
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    private ResourceClient<GenericObject> PodClient => Api.Generic(LabObjects.Pods);

    private Task CreateNodeObjectsAsync(LabNode node) => LabObjects.CreateNodeAsync(Api, node);

    private static string NodeStatusPatch(LabNode node, bool networkUnavailable) => LabObjects.NodeStatusPatch(node, networkUnavailable);

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
        await LabObjects.CreateSpeakerPodAsync(Api, node);
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
