using System.Text.Json.Nodes;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// kubectl 1.32 and 1.33 against the emulator, which calls the controller's webhooks as
/// kube-apiserver does (AdmissionReview over TLS trusting the injected caBundle, the BGPPeer
/// ConversionReview on reads, writes and watches): what a user sees at `kubectl apply`.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class WebhookKubectlTests(ITestOutputHelper output)
{
    public static TheoryData<string> Versions => new() { "1.32", "1.33" };

    [SkippableTheory]
    [MemberData(nameof(Versions))]
    public async Task Kubectl_meets_the_controllers_webhooks(string version)
    {
        string binary = version == "1.33"
            ? Kubectl.Require()
            : Prerequisite.Require(Path.Combine(RepoPaths.Tools, "kubectl-v32", "kubectl") is var p && File.Exists(p) ? p : null,
                "kubectl 1.32", "scripts/install/kubectl.sh");
        int port = ControllerProcess.FreePort();
        await using var lab = await ProcessLab.StartAsync(output, configure: o =>
            o.WebhookServices["metallb-system/metallb-webhook-service"] = $"127.0.0.1:{port}");
        await WebhookLab.InstallWebhookObjectsAsync(lab.Client);
        var controller = lab.StartController("kubectl-webhook", "--webhook-mode=enabled", "--webhook-port",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--webhook-bind-address", "127.0.0.1");
        await controller.WaitReadyAsync();
        var kubectl = new Kubectl(binary, lab.Kubeconfig, lab.Folder);
        output.WriteLine(await kubectl.OkAsync("version", "--client"));

        // An overlapping pool is refused with the webhook's message; a disjoint one is accepted.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("a.yaml", Pool("a", "192.0.2.0/24")));
        var (code, _, stderr) = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("b.yaml", Pool("b", "192.0.2.128/25")));
        output.WriteLine(stderr);
        Assert.NotEqual(0, code);
        Assert.Contains("admission webhook \"ipaddresspoolvalidationwebhook.metallb.io\" denied the request: IPAddressPool \"b\": " +
            "CIDR \"192.0.2.128/25\" in pool \"b\" overlaps with already defined CIDR \"192.0.2.0/24\" (in pool \"a\")", stderr, StringComparison.Ordinal);
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("c.yaml", Pool("c", "198.51.100.0/24")));
        Assert.Equal("a c", await kubectl.OkAsync("get", "ipaddresspools", "-n", ProcessLab.Ns, "-o", "jsonpath={.items[*].metadata.name}"));

        // A BFDProfile a peer names cannot be deleted.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("bfd.yaml",
            "apiVersion: metallb.io/v1beta1\nkind: BFDProfile\nmetadata:\n  name: fast\n  namespace: metallb-system\n---\n" +
            "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata:\n  name: router\n  namespace: metallb-system\n" +
            "spec:\n  myASN: 64500\n  peerASN: 64501\n  peerAddress: 192.0.2.254\n  holdTime: 90s\n  bfdProfile: fast\n"));
        (code, _, stderr) = await kubectl.RunAsync("delete", "bfdprofile", "fast", "-n", ProcessLab.Ns);
        output.WriteLine(stderr);
        Assert.NotEqual(0, code);
        Assert.Contains("admission webhook \"bfdprofilevalidationwebhook.metallb.io\" denied the request: " +
            "failed to delete BFDProfile fast, used by BGPPeer router", stderr, StringComparison.Ordinal);

        // A v1beta1 peer without timers: stored through the conversion webhook, read as v1beta2
        // with upstream's zero timers, and as v1beta1 again; a watch sees converted objects.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("old.yaml",
            "apiVersion: metallb.io/v1beta1\nkind: BGPPeer\nmetadata:\n  name: old\n  namespace: metallb-system\n" +
            "spec:\n  myASN: 64500\n  peerASN: 64501\n  peerAddress: 192.0.2.1\n  peerPort: 1179\n"));
        Assert.Equal("metallb.io/v1beta2 0s 0s 1179", await kubectl.OkAsync("get", "bgppeers.v1beta2.metallb.io", "old", "-n", ProcessLab.Ns,
            "-o", "jsonpath={.apiVersion} {.spec.holdTime} {.spec.keepaliveTime} {.spec.peerPort}"));
        Assert.Equal("metallb.io/v1beta1 0s 0s 64501 192.0.2.1", await kubectl.OkAsync("get", "bgppeers.v1beta1.metallb.io", "old", "-n", ProcessLab.Ns,
            "-o", "jsonpath={.apiVersion} {.spec.holdTime} {.spec.keepaliveTime} {.spec.peerASN} {.spec.peerAddress}"));
        var (_, watched, watchErr) = await kubectl.RunAsync("get", "bgppeers.v1beta1.metallb.io", "-n", ProcessLab.Ns, "-w", "--request-timeout=4s",
            "-o", "jsonpath={.apiVersion} {.metadata.name} {.spec.holdTime}{\"\\n\"}");
        output.WriteLine(watched + watchErr);
        Assert.Contains("metallb.io/v1beta1 old 0s", watched, StringComparison.Ordinal);
        Assert.Contains("metallb.io/v1beta1 router 1m30s", watched, StringComparison.Ordinal);

        // The controller gone: with the chart's failurePolicy Ignore a write passes; with Fail it
        // is refused and the message says the webhook could not be called.
        controller.Kill();
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("d.yaml", Pool("d", "203.0.113.0/25")));
        await SetFailurePolicyAsync(lab.Client, "Fail");
        (code, _, stderr) = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("e.yaml", Pool("e", "203.0.113.128/25")));
        output.WriteLine(stderr);
        Assert.NotEqual(0, code);
        Assert.Contains("failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\"", stderr, StringComparison.Ordinal);
        Assert.Contains("connection refused", stderr, StringComparison.Ordinal);
    }

    private static string Pool(string name, string cidr) =>
        $"apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: {name}\n  namespace: metallb-system\nspec:\n  addresses:\n  - {cidr}\n";

    private static async Task SetFailurePolicyAsync(KubeClient client, string policy)
    {
        var api = client.Generic(WebhookLab.Configurations);
        var configuration = JsonNode.Parse((await api.GetAsync(null, "metallb-webhook-configuration")).ToJson())!;
        var patch = new JsonArray();
        for (int i = 0; i < configuration["webhooks"]!.AsArray().Count; i++)
            patch.Add(new JsonObject { ["op"] = "replace", ["path"] = $"/webhooks/{i}/failurePolicy", ["value"] = policy });
        await api.PatchAsync(null, "metallb-webhook-configuration", PatchType.Json, patch.ToJsonString());
    }
}
