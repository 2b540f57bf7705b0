using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// Issue 11's proof, end to end: kubectl (1.32 and 1.33) against the emulator, which calls the
/// real controller process's webhooks over TLS exactly as kube-apiserver would (the Service's
/// EndpointSlice points at the controller's loopback port; the caBundle is the one the
/// controller injected). What a user sees: an overlapping pool refused in the webhook's words,
/// a valid one accepted, a BFDProfile in use not deletable, a v1beta1 BGPPeer converted to
/// v1beta2 and back with upstream's values, and `kubectl get bgppeers.v1beta1.metallb.io -w`
/// showing converted objects; and with the controller killed, failurePolicy Ignore lets applies
/// pass while Fail refuses them saying the webhook is unreachable.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class AdmissionEndToEndTests(ITestOutputHelper output)
{
    public static TheoryData<string> Flavors => new() { "1.32", "1.33" };

    [SkippableTheory]
    [MemberData(nameof(Flavors))]
    public async Task Kubectl_sees_the_controllers_webhooks_refuse_accept_and_convert(string flavor)
    {
        string binary = Prerequisite.Require(Path.Combine(RepoPaths.Tools, $"kubectl-v{flavor.Split('.')[1]}", "kubectl"), $"kubectl {flavor}", "scripts/install/kubectl.sh");
        await using var lab = await ProcessLab.StartAsync(output, installCrds: false);
        var kubectl = new Kubectl(binary, lab.Kubeconfig, lab.Folder);
        await kubectl.OkAsync("apply", "-f", RepoPaths.Crds);
        await kubectl.OkAsync("wait", "--for=condition=Established", "--timeout=20s", "crd/ipaddresspools.metallb.io", "crd/bgppeers.metallb.io", "crd/bfdprofiles.metallb.io");
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: metallb-system\n"));
        var (controller, port) = WebhookLab.Start(lab, "admission-e2e");
        await WebhookLab.InstallWebhookObjectsAsync(lab.Client);
        // The Service of the one-file install, and the EndpointSlice its controller Pod would get.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", WebhookService(port)));
        await controller.WaitReadyAsync();

        // An overlapping pool is refused with the webhook's message (once the first pool is in its cache).
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("existing.yaml", Pool("existing", "192.0.2.0/24")));
        var overlap = kubectl.WriteFile("overlap.yaml", Pool("overlap", "192.0.2.128/25"));
        await Eventually.True(async () => (await kubectl.RunAsync("apply", "--dry-run=server", "-f", overlap)).ExitCode != 0,
            "the webhook's cache to hold the existing pool (a server dry run is refused)");
        var (code, _, stderr) = await kubectl.RunAsync("apply", "-f", overlap);
        output.WriteLine(stderr);
        Assert.NotEqual(0, code);
        Assert.Contains($"Error from server (Forbidden): error when creating \"{overlap}\": admission webhook \"ipaddresspoolvalidationwebhook.metallb.io\" denied the request: " +
            "IPAddressPool \"overlap\": CIDR \"192.0.2.128/25\" in pool \"overlap\" overlaps with already defined CIDR \"192.0.2.0/24\"", stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await kubectl.RunAsync("get", "ipaddresspool", "overlap", "-n", ProcessLab.Ns)).ExitCode);
        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("fresh.yaml", Pool("fresh", "198.51.100.0/24"))), StringComparison.Ordinal);

        // A BFDProfile a peer uses cannot be deleted.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("bfd.yaml", """
            apiVersion: metallb.io/v1beta1
            kind: BFDProfile
            metadata: {name: fast, namespace: metallb-system}
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: router, namespace: metallb-system}
            spec: {myASN: 64500, peerASN: 64501, peerAddress: 192.0.2.254, bfdProfile: fast}
            """));
        await Eventually.True(async () => (await kubectl.RunAsync("delete", "--dry-run=server", "bfdprofile", "fast", "-n", ProcessLab.Ns)).ExitCode != 0,
            "the webhook's cache to hold the peer using the profile");
        (code, _, stderr) = await kubectl.RunAsync("delete", "bfdprofile", "fast", "-n", ProcessLab.Ns);
        output.WriteLine(stderr);
        Assert.NotEqual(0, code);
        Assert.Contains("admission webhook \"bfdprofilevalidationwebhook.metallb.io\" denied the request: failed to delete BFDProfile fast, used by BGPPeer router: remove spec.bfdProfile from the peer first",
            stderr, StringComparison.Ordinal);
        await kubectl.OkAsync("get", "bfdprofile", "fast", "-n", ProcessLab.Ns);

        // A v1beta1 peer without timers: v1beta2 shows upstream's 0s timers, and v1beta1 reads back the same.
        var lines = new ConcurrentQueue<string>();
        using var watch = Start(binary, lab, ["get", "bgppeers.v1beta1.metallb.io", "-n", ProcessLab.Ns, "-w", "-o", "custom-columns=NAME:.metadata.name,API:.apiVersion,HOLD:.spec.holdTime"]);
        try
        {
            watch.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            watch.BeginOutputReadLine();
            await Eventually.True(() => lines.Any(l => l.StartsWith("router", StringComparison.Ordinal)), "kubectl get -w to list the v1beta2 peer as v1beta1");
            Assert.Matches(@"^router\s+metallb\.io/v1beta1\s", lines.First(l => l.StartsWith("router", StringComparison.Ordinal)));
            await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("legacy.yaml", """
                apiVersion: metallb.io/v1beta1
                kind: BGPPeer
                metadata: {name: legacy, namespace: metallb-system}
                spec: {myASN: 64500, peerASN: 64502, peerAddress: 192.0.2.253}
                """));
            await Eventually.True(() => lines.Any(l => Regex.IsMatch(l, @"^legacy\s+metallb\.io/v1beta1\s+0s")), "the v1beta1 watch to show the new peer, converted");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync();
        }
        var v2 = JsonNode.Parse(await kubectl.OkAsync("get", "bgppeers.v1beta2.metallb.io", "legacy", "-n", ProcessLab.Ns, "-o", "json"))!;
        Assert.Equal("metallb.io/v1beta2", (string?)v2["apiVersion"]);
        Assert.Equal(("0s", "0s"), ((string?)v2["spec"]!["holdTime"], (string?)v2["spec"]!["keepaliveTime"]));
        var v1 = JsonNode.Parse(await kubectl.OkAsync("get", "bgppeers.v1beta1.metallb.io", "legacy", "-n", ProcessLab.Ns, "-o", "json"))!;
        Assert.Equal("metallb.io/v1beta1", (string?)v1["apiVersion"]);
        Assert.Equal((64500, 64502, "192.0.2.253", "0s", "0s"),
            ((int?)v1["spec"]!["myASN"], (int?)v1["spec"]!["peerASN"], (string?)v1["spec"]!["peerAddress"], (string?)v1["spec"]!["holdTime"], (string?)v1["spec"]!["keepaliveTime"]));
        Assert.False(controller.HasExited, controller.Output);

        // The controller killed: the install's failurePolicy Ignore lets applies through; with
        // Fail the refusal says the webhook cannot be reached.
        controller.Kill();
        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("later.yaml", Pool("later", "203.0.113.0/28"))), StringComparison.Ordinal);
        await kubectl.OkAsync("patch", "validatingwebhookconfiguration", "metallb-webhook-configuration", "--type=json",
            "-p", """[{"op":"replace","path":"/webhooks/1/failurePolicy","value":"Fail"}]""");
        var closed = kubectl.WriteFile("closed.yaml", Pool("closed", "203.0.113.16/28"));
        (code, _, stderr) = await kubectl.RunAsync("apply", "-f", closed);
        output.WriteLine(stderr);
        Assert.NotEqual(0, code);
        Assert.Contains($"Error from server (InternalError): error when creating \"{closed}\": Internal error occurred: failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\": " +
            $"failed to call webhook: Post \"https://metallb-webhook-service.metallb-system.svc:443/validate-metallb-io-v1beta1-ipaddresspool?timeout=10s\": dial tcp 127.0.0.1:{port}: connect: connection refused",
            stderr, StringComparison.Ordinal);
    }

    private static string Pool(string name, string cidr) =>
        $"apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: {name}\n  namespace: metallb-system\nspec:\n  addresses:\n  - {cidr}\n";

    /// <summary>deploy/metallb-net.yaml's webhook Service (port 443, unnamed) and an EndpointSlice at 127.0.0.1:<paramref name="port"/>.</summary>
    internal static string WebhookService(int port) => $"""
        apiVersion: v1
        kind: Service
        metadata: {"{"}name: metallb-webhook-service, namespace: metallb-system{"}"}
        spec:
          ports:
          - port: 443
            targetPort: 9443
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: metallb-webhook-service-x1
          namespace: metallb-system
          labels: {"{"}kubernetes.io/service-name: metallb-webhook-service{"}"}
        addressType: IPv4
        ports:
        - port: {port.ToString(CultureInfo.InvariantCulture)}
          protocol: TCP
        endpoints:
        - addresses: ["127.0.0.1"]
          conditions: {"{"}ready: true{"}"}
        """;

    /// <summary>A long-running kubectl (get -w) with the lab's kubeconfig; the caller kills it by its own handle.</summary>
    private static System.Diagnostics.Process Start(string binary, ProcessLab lab, string[] args)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["--kubeconfig", lab.Kubeconfig, "--cache-dir", Path.Combine(lab.Folder, "kubectl-cache-watch"), .. args])
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = lab.Folder;
        psi.Environment.Remove("KUBECONFIG");
        return System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
    }
}
