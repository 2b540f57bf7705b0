using System.Diagnostics;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The controller image (Dockerfile.controller, built by scripts/images/build.sh) run with
/// podman + runc the way the chart runs it: the Deployment's args and env, non-root, read-only
/// root filesystem, no capabilities; against the emulator over the host network. It must
/// allocate. The container is ours alone (a unique name) and removed by that name. The image is
/// rebuilt first when its sources changed (ContainerImages).
/// </summary>
public sealed class ControllerImageTests(ITestOutputHelper output)
{
    private static readonly string Image = ContainerImages.Name("controller");

    [SkippableFact]
    public async Task The_controller_image_allocates_against_the_emulator()
    {
        if (!OperatingSystem.IsLinux())
            throw Prerequisite.Missing("containers run here on Linux only");
        ContainerImages.RequireRoot();
        await ContainerImages.EnsureAsync("controller");
        int metrics = Kubelet.FreePort(), health = Kubelet.FreePort();
        string rendered;
        // Webhooks off: this test installs no webhook configuration or route to the container, and
        // readiness would wait for the certificate's injection (AdmissionEndToEndTests covers them).
        using (var helm = new Helm())
            rendered = await helm.TemplateAsync($"prometheus.metricsPort={metrics}", $"controller.livenessProbe.port={health}", $"controller.readinessProbe.port={health}", "crds.enabled=false",
                "controller.webhookMode=disabled");
        var deployment = Manifest.Parse(rendered).Single("Deployment");
        var container = Manifest.Container(deployment);

        await using var lab = await EmulatorLab.StartAsync(installCrds: true, Helm.Namespace);
        await lab.Client.Generic(new Kube.Rest.ResourceInfo("apps", "v1", "deployments", "Deployment", true))
            .CreateAsync(Kube.Rest.GenericObject.Parse(deployment.ToJsonString()));
        string folder = Directory.CreateTempSubdirectory("mlb-image-").FullName;
        string kubeconfig = lab.WriteKubeconfig(folder);
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        string name = "mlb-installable-" + Guid.NewGuid().ToString("N")[..8];
        List<string> args =
        [
            "--rm", "--name", name, "--network", "host",
            "--read-only", "--cap-drop=all", "--security-opt=no-new-privileges", "--user", "65534:65534",
            "-v", $"{kubeconfig}:/etc/metallb-net/kubeconfig:ro",
        ];
        foreach (var (key, e) in Kubelet.Env(deployment))
        {
            string value = (string?)e!["value"] ?? ((string?)e["valueFrom"]!["fieldRef"]!["fieldPath"] == "metadata.name" ? "metallb-net-controller-img-1" : Helm.Namespace);
            args.AddRange(["-e", $"{key}={value}"]);
        }
        args.Add(Image);
        args.AddRange(Manifest.Args(deployment));
        args.AddRange(["--kubeconfig", "/etc/metallb-net/kubeconfig", "--metrics-bind-address=127.0.0.1"]);
        using var podman = new ChildProcess(Process.Start(ContainerImages.PodmanRun(args)) ?? throw new InvalidOperationException("podman did not start"));
        try
        {
            Assert.Equal(health, (int)container["readinessProbe"]!["httpGet"]!["port"]!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.True(async () =>
            {
                Assert.False(podman.HasExited, $"podman exited:\n{podman.Output}");
                try
                {
                    return (await http.GetAsync(new Uri($"http://127.0.0.1:{health}/readyz"))).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, "the containerised controller's readiness probe answers 200", TimeSpan.FromSeconds(90));
            await lab.Client.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
            {
                Metadata = new ObjectMeta { Name = "img", Namespace = Helm.Namespace },
                Spec = new IPAddressPoolSpec { Addresses = ["198.51.100.20/31"] },
            });
            await lab.Client.Resource<Service>().CreateAsync(new Service
            {
                Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
                Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
            });
            await Eventually.True(async () =>
                (await lab.Client.Resource<Service>().GetAsync("default", "web")).Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.IP == "198.51.100.20",
                "default/web gets 198.51.100.20 from the containerised controller");
            await ContainerImages.RecordAsync(output.WriteLine, Image, name, "after allocating");
        }
        finally
        {
            await ContainerImages.RemoveAsync(name);
            output.WriteLine(podman.Output);
            Directory.Delete(folder, recursive: true);
        }
    }
}
