using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// What a user does and sees: kubectl installs the CRDs and a configuration, creates Services,
/// and reads the allocated IPs and the reasons for pending ones back, with the controller
/// executable doing the work in between.
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed class KubectlEndToEndTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Kubectl_shows_the_external_IPs_and_why_a_service_is_pending()
    {
        string binary = Kubectl.Require();
        await using var lab = await ProcessLab.StartAsync(output, installCrds: false);
        var kubectl = new Kubectl(binary, lab.Kubeconfig, lab.Folder);
        await kubectl.OkAsync("apply", "-f", RepoPaths.Crds);
        await kubectl.OkAsync("wait", "--for=condition=Established", "--timeout=20s",
            "crd/ipaddresspools.metallb.io", "crd/l2advertisements.metallb.io", "crd/communities.metallb.io");
        // From YAML: `kubectl create namespace` sends protobuf, which the emulator does not read.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: metallb-system\n"));
        var controller = lab.StartController("kubectl-e2e");
        await controller.WaitReadyAsync();

        await kubectl.OkAsync("apply",
            "-f", kubectl.WriteFile("pool.yaml",
                "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: two-ips\n  namespace: metallb-system\n" +
                "spec:\n  addresses:\n  - 192.0.2.10-192.0.2.11\n"),
            "-f", Path.Combine(RepoPaths.Samples, "001-09-default-l2-advertisement.yaml"));
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("web.yaml", Service("web-1") + "---\n" + Service("web-2")));
        foreach (string name in (string[])["web-1", "web-2"])
            await Eventually.True(async () => (await kubectl.OkAsync("get", "svc", name, "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}")).Length > 0,
                $"kubectl sees an IP on {name}");

        string table = await kubectl.OkAsync("get", "svc");
        output.WriteLine(table);
        Assert.Matches(@"(?m)^web-1\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+192\.0\.2\.1[01]\s+80:3\d{4}/TCP", table);
        Assert.Matches(@"(?m)^web-2\s+LoadBalancer\s+10\.96\.\d+\.\d+\s+192\.0\.2\.1[01]\s+80:3\d{4}/TCP", table);
        Assert.NotEqual(await ExternalIP(kubectl, "web-1"), await ExternalIP(kubectl, "web-2"));

        // The pool is full; and an address no pool holds cannot be given.
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("pending.yaml",
            Service("web-3") + "---\n" + Service("outside", "  annotations:\n    metallb.io/loadBalancerIPs: 198.51.100.7\n")));
        const string Reason = """jsonpath={.status.conditions[?(@.type=="metallb.io/IPAllocated")].reason}""";
        await Eventually.True(async () => await kubectl.OkAsync("get", "svc", "web-3", "-o", Reason) == "NoAvailableIPs",
            "web-3's IPAllocated condition says NoAvailableIPs");
        string? outsideReason = null;
        await Eventually.True(async () => (outsideReason = await kubectl.OkAsync("get", "svc", "outside", "-o", Reason)).Length > 0,
            "outside's IPAllocated condition has a reason");
        output.WriteLine($"outside: reason {outsideReason}");
        Assert.Equal("NotAllowedInConfig", outsideReason);
        table = await kubectl.OkAsync("get", "svc");
        Assert.Matches(@"(?m)^web-3\s+LoadBalancer\s+\S+\s+<pending>\s", table);
        Assert.Matches(@"(?m)^outside\s+LoadBalancer\s+\S+\s+<pending>\s", table);

        string describe = "";
        await Eventually.True(async () => (describe = await kubectl.OkAsync("describe", "svc", "web-3")).Contains("AllocationFailed", StringComparison.Ordinal),
            "kubectl describe svc web-3 lists the AllocationFailed event");
        output.WriteLine(describe);
        Assert.Matches(@"(?m)^\s+Warning\s+AllocationFailed\s+.*metallb-controller\s+.*no available IPs", describe);
        await Eventually.True(async () => (describe = await kubectl.OkAsync("describe", "svc", "outside")).Contains("AllocationFailed", StringComparison.Ordinal),
            "kubectl describe svc outside lists the AllocationFailed event");
        output.WriteLine(describe);
        Assert.Matches(@"(?m)^\s+Warning\s+AllocationFailed\s+.*metallb-controller\s+.*198\.51\.100\.7", describe);

        string allocated = await kubectl.OkAsync("describe", "svc", "web-1");
        output.WriteLine(allocated);
        Assert.Matches(@"(?m)^LoadBalancer Ingress:\s+192\.0\.2\.1[01]", allocated);
        Assert.Matches(@"(?m)^\s+Normal\s+IPAllocated\s+.*metallb-controller\s+", allocated);
    }

    private static async Task<string> ExternalIP(Kubectl kubectl, string name) =>
        await kubectl.OkAsync("get", "svc", name, "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");

    private static string Service(string name, string annotations = "") =>
        $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: default\n{annotations}" +
        $"spec:\n  type: LoadBalancer\n  selector:\n    app: {name}\n  ports:\n  - name: http\n    port: 80\n";
}
