using System.Text.RegularExpressions;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Controller.Tests.Process;

/// <summary>
/// deploy/samples applied with kubectl to a cluster where the controller executable already
/// runs: every sample Service gets the address its annotations or spec ask for, which is what
/// deploy/samples/README.md promises (and `metallb-net plan` shows offline).
/// </summary>
[Collection(ProcessCollection.Name)]
[Trait("Category", "Process")]
public sealed partial class KubectlSamplesTests(ITestOutputHelper output)
{
    // Kinds the emulator serves; the ServiceMonitor sample needs the Prometheus operator's CRD.
    private static readonly string[] ServedKinds =
        ["IPAddressPool", "L2Advertisement", "BGPAdvertisement", "BGPPeer", "Service", "Node", "Namespace", "EndpointSlice", "ResourceQuota"];

    [SkippableFact]
    public async Task Every_sample_service_gets_the_address_it_asks_for()
    {
        string binary = Kubectl.Require();
        await using var lab = await ProcessLab.StartAsync(output, installCrds: false);
        var kubectl = new Kubectl(binary, lab.Kubeconfig, lab.Folder);
        await kubectl.OkAsync("apply", "-f", RepoPaths.Crds);
        await kubectl.OkAsync("wait", "--for=condition=Established", "--timeout=20s", "crd/ipaddresspools.metallb.io", "crd/bgppeers.metallb.io");
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: metallb-system\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: development\n"));
        var controller = lab.StartController("samples");
        await controller.WaitReadyAsync();

        var files = Directory.GetFiles(RepoPaths.Samples, "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => KindRegex().Matches(File.ReadAllText(f)).All(m => ServedKinds.Contains(m.Groups[1].Value)))
            .ToList();
        await kubectl.OkAsync(["apply", .. files.SelectMany(f => (string[])["-f", f])]);

        string table = "";
        await Eventually.True(async () => !(table = await kubectl.OkAsync("get", "svc", "-A")).Contains("<pending>", StringComparison.Ordinal),
            "no sample Service is pending");
        output.WriteLine(table);
        Assert.Matches(@"(?m)^production\s+web-service\s+LoadBalancer\s+\S+\s+192\.168\.1\.100\s", table);
        Assert.Matches(@"(?m)^production\s+api-service\s+LoadBalancer\s+\S+\s+192\.168\.1\.101\s", table);
        Assert.Matches(@"(?m)^production\s+dual-stack-service\s+LoadBalancer\s+\S+\s+192\.168\.1\.102,2001:db8:1::102\s", table);
        Assert.Matches(@"(?m)^default\s+web-http\s+LoadBalancer\s+\S+\s+192\.168\.1\.200\s", table);
        Assert.Matches(@"(?m)^default\s+web-https\s+LoadBalancer\s+\S+\s+192\.168\.1\.200\s", table);
        Assert.Matches(@"(?m)^default\s+trading-api\s+LoadBalancer\s+\S+\s+198\.51\.100\.1[0-5]\s", table);
        Assert.Equal("premium-ips", await kubectl.OkAsync("get", "svc", "trading-api", "-o",
            """jsonpath={.metadata.annotations.metallb\.io/ip-allocated-from-pool}"""));
    }

    [GeneratedRegex(@"(?m)^kind:\s*(\S+)")]
    private static partial Regex KindRegex();
}
