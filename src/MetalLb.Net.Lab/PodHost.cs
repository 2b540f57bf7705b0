using System.Text.Json.Nodes;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>
/// Where the node agent runs a pod: the Kubernetes node it is bound to (spec.nodeName), the
/// network namespace its process joins (the node's own for hostNetwork pods, the controller's
/// namespace otherwise) and the pod's addresses there.
/// </summary>
public sealed record PodHost(string NodeName, string Netns, NamespaceSockets Sockets, string HostIP, string PodIP, string? PodIPv6);

/// <summary>
/// What every pod the node agent runs shares: the admin API client (the agent acts as the
/// DaemonSet and Deployment controllers and the kubelet, which hold wide rights), the emulator
/// to mint ServiceAccount tokens from (TokenRequest, as the kubelet does for a projected token),
/// the in-cluster address of the API inside a namespace (its loopback forwarder), its CA, the
/// folder for pod files, and where progress and processes are recorded.
/// </summary>
public sealed class PodRuntime(KubeClient api, HttpClient admin, int apiPort, string caPem, string dir,
    Action<string> progress, Action<LabProcess> record)
{
    public KubeClient Api { get; } = api;

    public int ApiPort { get; } = apiPort;

    public string CaPem { get; } = caPem;

    /// <summary>The lab's folder; each pod's files go under pods/NAME/.</summary>
    public string Dir { get; } = dir;

    public void Progress(string line) => progress(line);

    public void Record(LabProcess process) => record(process);

    /// <summary>POST serviceaccounts/NAME/token (authentication.k8s.io/v1 TokenRequest), a day long, as the kubelet asks for a pod.</summary>
    public async Task<string> RequestTokenAsync(string ns, string serviceAccount, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject { ["expirationSeconds"] = 86400 },
        };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.PostAsync(new Uri($"/api/v1/namespaces/{ns}/serviceaccounts/{serviceAccount}/token", UriKind.Relative), content, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"TokenRequest for serviceaccount {ns}/{serviceAccount}: {(int)response.StatusCode} {text}");
        return (string?)JsonNode.Parse(text)?["status"]?["token"] ?? throw new InvalidOperationException($"TokenRequest for {ns}/{serviceAccount}: no token in {text}");
    }
}
