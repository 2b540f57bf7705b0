using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The controller executable started exactly as the chart's Deployment starts it (its args and
/// env, the downward API resolved as the kubelet would), against the emulator holding the
/// rendered objects: it must accept every flag, answer the Deployment's probes on their port,
/// create the memberlist Secret the DaemonSet mounts, and allocate.
/// </summary>
public sealed class ControllerFromChartTests(ITestOutputHelper output)
{
    private const string PodName = "metallb-net-controller-7d9f8-x2x4q";

    [SkippableFact]
    public async Task The_controller_with_the_deployments_args_and_env_answers_its_probes_creates_the_memberlist_secret_and_allocates()
    {
        int metricsPort = FreePort(), healthPort = FreePort();
        string rendered;
        using (var helm = new Helm())
        {
            rendered = await helm.TemplateAsync(
                $"prometheus.metricsPort={metricsPort}", $"controller.livenessProbe.port={healthPort}",
                $"controller.readinessProbe.port={healthPort}", "crds.enabled=false");
        }
        var manifest = Manifest.Parse(rendered);
        var deployment = manifest.Single("Deployment");

        await using var lab = await EmulatorLab.StartAsync(installCrds: true, Helm.Namespace);
        var deployments = lab.Client.Generic(new ResourceInfo("apps", "v1", "deployments", "Deployment", true));
        var stored = await deployments.CreateAsync(GenericObject.Parse(deployment.ToJsonString()));
        // The webhook objects the Deployment's --webhook-mode=enabled needs: the controller is
        // ready only once it has injected its CA into the configuration.
        await lab.Client.Generic(new ResourceInfo("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false))
            .CreateAsync(GenericObject.Parse(manifest.Single("ValidatingWebhookConfiguration").ToJsonString()));
        await lab.Client.Generic(new ResourceInfo("", "v1", "secrets", "Secret", true))
            .CreateAsync(GenericObject.Parse(manifest.Get("Secret", "metallb-webhook-cert").ToJsonString()));
        string folder = Directory.CreateTempSubdirectory("mlb-deploy-").FullName;
        using var controller = Kubelet.StartController(deployment, lab.WriteKubeconfig(folder), PodName);
        try
        {
            var probe = Manifest.Container(deployment)["readinessProbe"]!["httpGet"]!;
            Assert.Equal(healthPort, (int)probe["port"]!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.True(async () =>
            {
                Assert.False(controller.HasExited, $"controller exited:\n{controller.Output}");
                return await GetStatusAsync(http, $"http://127.0.0.1:{healthPort}{probe["path"]}") == HttpStatusCode.OK;
            }, "the readiness probe of the Deployment answers 200 on its port");

            await lab.Client.Resource<IPAddressPool>().CreateAsync(new IPAddressPool
            {
                Metadata = new ObjectMeta { Name = "lab", Namespace = Helm.Namespace },
                Spec = new IPAddressPoolSpec { Addresses = ["192.0.2.10-192.0.2.19"] },
            });
            await lab.Client.Resource<Service>().CreateAsync(new Service
            {
                Metadata = new ObjectMeta { Name = "web", Namespace = "default" },
                Spec = new ServiceSpec { Type = "LoadBalancer", Ports = [new ServicePort { Port = 80, Protocol = "TCP" }] },
            });
            await Eventually.True(async () =>
                (await lab.Client.Resource<Service>().GetAsync("default", "web")).Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.IP == "192.0.2.10",
                "default/web gets 192.0.2.10");

            string secretName = (string)Kubelet.Env(deployment)["METALLB_ML_SECRET_NAME"]!["value"]!;
            var secret = await lab.Client.Resource<Secret>().GetAsync(Helm.Namespace, secretName);
            Assert.Equal(22, System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(secret.Data!["secretkey"])).Length);
            var owner = Assert.Single(secret.Metadata.OwnerReferences!);
            Assert.Equal(("Deployment", stored.Metadata.Name, stored.Metadata.Uid), (owner.Kind, owner.Name, owner.Uid));

            string metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
            Assert.Contains("metallb_allocator_addresses_in_use_total{pool=\"lab\"} 1", metrics, StringComparison.Ordinal);
            Assert.Equal(PodName, (await lab.Client.Resource<Lease>().GetAsync(Helm.Namespace, "metallb-controller")).Spec?.HolderIdentity);
        }
        finally
        {
            output.WriteLine(controller.Output);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpStatusCode?> GetStatusAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync(new Uri(url))).StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Refused, or no answer within the client's timeout: a failed probe, as the
            // kubelet counts one past timeoutSeconds; the next poll tries again. (Seen at load
            // 111 on the shared machine: one 5 s timeout failed the whole test.)
            return null;
        }
    }

    private static int FreePort() => Kubelet.FreePort();
}
