using System.Diagnostics;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The controller image (Dockerfile.controller, built by scripts/images/build.sh) run with
/// podman + runc the way the chart runs it: the Deployment's args and env, non-root, read-only
/// root filesystem, no capabilities; against the emulator over the host network, with the chart's
/// default values (webhooks on), the chart's objects applied first and a token the emulator
/// minted for the chart's controller ServiceAccount, so the chart's RBAC decides what it may do.
/// It must become ready (its certificate made and injected), allocate, answer the emulator's
/// webhook calls and rotate its certificate, and never be refused. The container is ours alone
/// (a unique name) and removed by that name. The image is rebuilt first when its sources changed
/// (ContainerImages).
/// </summary>
public sealed class ControllerImageTests(ITestOutputHelper output)
{
    private static readonly string Image = ContainerImages.Name("controller");

    [SkippableFact]
    public async Task The_controller_image_allocates_and_serves_its_webhooks_under_the_charts_rbac()
    {
        if (!OperatingSystem.IsLinux())
            throw Prerequisite.Missing("containers run here on Linux only");
        ContainerImages.RequireRoot();
        await ContainerImages.EnsureAsync("controller");
        int metrics = Kubelet.FreePort(), health = Kubelet.FreePort();
        Manifest chart;
        using (var helm = new Helm())
            chart = Manifest.Parse(await helm.TemplateAsync($"prometheus.metricsPort={metrics}", $"controller.livenessProbe.port={health}",
                $"controller.readinessProbe.port={health}", "crds.enabled=false"));
        var deployment = chart.Single("Deployment");
        var container = Manifest.Container(deployment);
        Assert.Contains("--webhook-mode=enabled", Manifest.Args(deployment));

        await using var lab = await RbacLab.StartAsync(chart);
        var scenario = new RbacScenario(lab);
        await scenario.SetUpAsync();
        // The container runs as nobody: the token's kubeconfig must be readable by it.
        string kubeconfig = lab.KubeconfigFor(deployment);
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(lab.Dir, (UnixFileMode)0b111_101_101);
        string name = "mlb-installable-" + Guid.NewGuid().ToString("N")[..8];
        List<string> args =
        [
            "--rm", "--name", name, "--network", "host",
            "--read-only", "--cap-drop=all", "--security-opt=no-new-privileges", "--user", "65534:65534",
            "-v", $"{kubeconfig}:/etc/metallb-net/kubeconfig:ro",
        ];
        foreach (var (key, value) in RbacLab.ResolveEnv(deployment, new Dictionary<string, string>
        {
            ["metadata.name"] = RbacScenario.ControllerPod,
            ["metadata.namespace"] = Helm.Namespace,
        }, null))
            args.AddRange(["-e", $"{key}={value}"]);
        args.Add(Image);
        args.AddRange(Manifest.Args(deployment));
        args.AddRange(["--kubeconfig", "/etc/metallb-net/kubeconfig", "--metrics-bind-address=127.0.0.1", .. lab.WebhookArgs()]);
        using var podman = new ChildProcess(Process.Start(ContainerImages.PodmanRun(args)) ?? throw new InvalidOperationException("podman did not start"));
        try
        {
            Assert.Equal(health, (int)container["readinessProbe"]!["httpGet"]!["port"]!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            // Ready means the webhook caches listed and the CA is in both webhook objects.
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
            await scenario.RunAsync(scenario.ControllerStages(), strict: true, TimeSpan.FromSeconds(120));
            var denied = lab.Decisions.Where(d => !d.Allowed).Select(d => d.Message).Distinct().ToList();
            Assert.True(denied.Count == 0, $"the image was refused with the chart's own RBAC:\n{string.Join('\n', denied)}");
            await ContainerImages.RecordAsync(output.WriteLine, Image, name, "after allocating and serving its webhooks");
        }
        finally
        {
            await ContainerImages.RemoveAsync(name);
            output.WriteLine(podman.Output);
        }
    }
}
