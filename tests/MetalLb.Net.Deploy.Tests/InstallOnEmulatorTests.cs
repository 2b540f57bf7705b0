using System.Net;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The chart and the one-file manifest against the API emulator, through the clients a user
/// runs: kubectl's server-side dry run for every values case, kubectl apply of
/// deploy/metallb-net.yaml and the samples, and helm install / upgrade / uninstall.
/// </summary>
public sealed class InstallOnEmulatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlb-install-").FullName;
    private EmulatorLab _lab = null!;
    private Kubectl _kubectl = null!;
    private string _kubeconfig = null!;

    private static readonly ResourceInfo Deployments = new("apps", "v1", "deployments", "Deployment", true);

    public async Task InitializeAsync()
    {
        // A bare cluster: the CRDs come from what is installed, as on a real one.
        _lab = await EmulatorLab.StartAsync(installCrds: false);
        _kubeconfig = _lab.WriteKubeconfig(_folder);
        _kubectl = new Kubectl(_kubeconfig, _folder);
    }

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task PrepareClusterAsync()
    {
        await _kubectl.OkAsync("apply", "--server-side", "-f", Path.Combine(AppContext.BaseDirectory, "Fixtures", "monitoring-crds.yaml"));
        await _kubectl.OkAsync("apply", "--server-side", "-f", WriteFile("ns.yaml",
            $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Helm.Namespace}\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n"));
    }

    private string WriteFile(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [SkippableTheory]
    [MemberData(nameof(ChartLintTests.Matrix), MemberType = typeof(ChartLintTests))]
    public async Task Every_object_of_the_chart_passes_a_server_side_dry_run(string name, string[] values)
    {
        await PrepareClusterAsync();
        using var helm = new Helm();
        // The namespace exists already (as for `helm install`): render without it.
        string rendered = await helm.TemplateAsync([.. values.Where(v => !v.StartsWith("namespace.create", StringComparison.Ordinal))]);
        var manifest = Manifest.Parse(rendered);

        string stdout = await _kubectl.OkAsync("apply", "--server-side", "--dry-run=server", "-f", WriteFile("chart.yaml", rendered));

        foreach (var o in manifest.Objects)
            Assert.Contains($"{((string)o["metadata"]!["name"]!)} serverside-applied (server dry run)", stdout, StringComparison.Ordinal);
        // A dry run stores nothing.
        var deployment = manifest.OfKind("Deployment").FirstOrDefault();
        if (deployment is not null)
        {
            var e = await Assert.ThrowsAsync<KubeApiException>(() => _lab.Client.Generic(Deployments).GetAsync(Helm.Namespace, (string)deployment["metadata"]!["name"]!));
            Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        }
        output.WriteLine($"{name}: {manifest.Objects.Count} objects accepted");
    }

    [SkippableFact]
    public async Task The_one_file_install_and_the_samples_are_accepted_and_the_deployed_controller_allocates()
    {
        await _kubectl.OkAsync("apply", "--server-side", "-f", Path.Combine(AppContext.BaseDirectory, "Fixtures", "monitoring-crds.yaml"));
        await _kubectl.OkAsync("apply", "--server-side", "-f", OneFileManifestTests.OneFilePath);
        var samples = Manifest.Parse(string.Join("\n---\n", Directory.GetFiles(RepoPaths.Samples, "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText)));
        // The samples' namespaces that no sample creates (a user has them already).
        foreach (string ns in samples.Objects.Select(o => (string?)o["metadata"]?["namespace"]).OfType<string>().Distinct()
                     .Where(n => n is not ("default" or Helm.Namespace) && !samples.OfKind("Namespace").Any(o => (string?)o["metadata"]!["name"] == n)))
            await _lab.Client.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = ns } });
        await _kubectl.OkAsync("apply", "--server-side", "-f", RepoPaths.Samples);

        var deployment = JsonNode.Parse((await _lab.Client.Generic(Deployments).GetAsync(Helm.Namespace, "metallb-net-controller")).ToJson())!.AsObject();
        int metrics = Kubelet.FreePort(), health = Kubelet.FreePort();
        using var controller = Kubelet.StartController(deployment, _kubeconfig, "metallb-net-controller-5c8d7-abcde",
            new Dictionary<string, string> { ["--port"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture), ["--health-probe-port"] = health.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        try
        {
            var services = samples.OfKind("Service").Where(s => (string?)s["spec"]?["type"] == "LoadBalancer")
                .Select(s => ((string?)s["metadata"]!["namespace"] ?? "default", (string)s["metadata"]!["name"]!)).ToList();
            Assert.NotEmpty(services);
            await Eventually.True(async () =>
            {
                Assert.False(controller.HasExited, $"controller exited:\n{controller.Output}");
                foreach (var (ns, name) in services)
                {
                    if ((await _lab.Client.Resource<Service>().GetAsync(ns, name)).Status?.LoadBalancer?.Ingress is not { Count: > 0 })
                        return false;
                }
                return true;
            }, $"every sample LoadBalancer Service ({services.Count}) gets an IP from the controller deployed by deploy/metallb-net.yaml");
            string table = await _kubectl.OkAsync("get", "svc", "-A");
            output.WriteLine(table);
        }
        finally
        {
            output.WriteLine(controller.Output);
        }
    }

    [SkippableFact]
    public async Task Helm_installs_upgrades_and_uninstalls_the_chart()
    {
        await PrepareClusterAsync();
        using var helm = new Helm();
        string[] target = ["--namespace", Helm.Namespace, "--kubeconfig", _kubeconfig];

        await helm.OkAsync(["install", Helm.Release, Helm.Chart, .. target], _kubeconfig);
        var deployments = _lab.Client.Generic(Deployments);
        var installed = JsonNode.Parse((await deployments.GetAsync(Helm.Namespace, "metallb-net-controller")).ToJson())!;
        Assert.Equal(1, (int)installed["spec"]!["replicas"]!);
        Assert.Contains("helm", (string?)installed["metadata"]!["labels"]!["app.kubernetes.io/managed-by"], StringComparison.OrdinalIgnoreCase);
        var releases = await _lab.Client.Resource<Secret>().ListAsync(Helm.Namespace, new ListOptions { LabelSelector = "owner=helm,name=metallb-net" });
        Assert.Single(releases.Items);

        await helm.OkAsync(["upgrade", Helm.Release, Helm.Chart, "--set", "controller.replicas=2", "--set", "controller.logLevel=debug", .. target], _kubeconfig);
        var upgraded = JsonNode.Parse((await deployments.GetAsync(Helm.Namespace, "metallb-net-controller")).ToJson())!;
        Assert.Equal(2, (int)upgraded["spec"]!["replicas"]!);
        Assert.Contains("--log-level=debug", Manifest.Args(upgraded.AsObject()));
        string history = await helm.OkAsync(["history", Helm.Release, .. target], _kubeconfig);
        Assert.Contains("Upgrade complete", history, StringComparison.Ordinal);

        await helm.OkAsync(["uninstall", Helm.Release, .. target], _kubeconfig);
        var gone = await Assert.ThrowsAsync<KubeApiException>(() => deployments.GetAsync(Helm.Namespace, "metallb-net-controller"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty((await _lab.Client.Resource<Secret>().ListAsync(Helm.Namespace, new ListOptions { LabelSelector = "owner=helm" })).Items);
    }
}
