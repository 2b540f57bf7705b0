using System.Diagnostics;
using MetalLb.Net.TestKit;
using MetalLb.Net.Lab;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The speaker image (Dockerfile.speaker) run with podman + runc the way the chart's DaemonSet
/// runs it: in the node's network namespace (the pod's host network), every capability dropped
/// but NET_RAW, read-only root filesystem, the DaemonSet's args and env, the memberlist key
/// mounted where the Secret volume goes, and its own ServiceAccount's token under the chart's
/// RBAC. A client on the LAN arpings the Service's IP and the node's MAC answers.
/// </summary>
public sealed class SpeakerImageTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_speaker_image_in_a_node_namespace_answers_arping_for_the_services_ip()
    {
        ContainerImages.RequireRoot();
        ClusterLab.RequirePrerequisites(router: false);
        await ContainerImages.EnsureAsync("speaker");
        Manifest chart;
        using (var helm = new Helm())
        {
            int metrics = Kubelet.FreePort(), health = Kubelet.FreePort();
            chart = Manifest.Parse(await helm.TemplateAsync($"prometheus.metricsPort={metrics}",
                $"controller.livenessProbe.port={health}", $"controller.readinessProbe.port={health}", "crds.enabled=false"));
        }
        await using var lab = await RbacLab.StartAsync(chart);
        var scenario = new RbacScenario(lab);
        await scenario.SetUpAsync();
        await lab.AddNodeAsync(RbacScenario.SpeakerPod);
        var client = lab.Network!.AddHost("client", 2, "02:00:00:00:00:f2");
        lab.StartController(RbacScenario.ControllerPod);
        await Eventually.True(async () => await scenario.MemberlistSecretAsync() is not null,
            "the controller creates the memberlist Secret", TimeSpan.FromSeconds(120));
        string key = await scenario.WriteKeyFileAsync();
        string kubeconfig = lab.KubeconfigFor(lab.DaemonSet);

        var daemonSet = lab.DaemonSet;
        var container = Manifest.Container(daemonSet);
        Assert.Equal(["NET_RAW"], container["securityContext"]!["capabilities"]!["add"]!.AsArray().Select(c => (string)c!));
        string keyPath = RbacLab.ResolveEnv(daemonSet, lab.SpeakerFieldRefs(RbacScenario.SpeakerPod), null)["METALLB_ML_SECRET_KEY_PATH"];
        string name = "mlb-speaker-" + Guid.NewGuid().ToString("N")[..8];
        List<string> args =
        [
            "--rm", "--name", name, "--network", $"ns:/run/netns/{lab.Node!.Namespace}",
            "--read-only", "--cap-drop=all", "--cap-add=NET_RAW", "--security-opt=no-new-privileges",
            "-v", $"{kubeconfig}:/etc/metallb-net/kubeconfig:ro", "-v", $"{key}:{keyPath}:ro",
        ];
        foreach (var (k, v) in RbacLab.ResolveEnv(daemonSet, lab.SpeakerFieldRefs(RbacScenario.SpeakerPod), null))
            args.AddRange(["-e", $"{k}={v}"]);
        args.Add(ContainerImages.Name("speaker"));
        args.AddRange(Manifest.Args(daemonSet));
        args.AddRange(["--kubeconfig", "/etc/metallb-net/kubeconfig"]);
        using var podman = new ChildProcess(Process.Start(ContainerImages.PodmanRun(args)) ?? throw new InvalidOperationException("podman did not start"));
        try
        {
            string arping = LabShell.Which("arping") ?? "arping";
            string? answer = null;
            await Eventually.True(() =>
            {
                Assert.False(podman.HasExited, $"podman exited:\n{podman.Output}");
                var r = LabShell.InNs(client.Namespace, arping, "-c", "1", "-w", "1", "-I", LabHost.Link, "192.0.2.100");
                answer = r.Stdout.Split('\n').FirstOrDefault(l => l.Contains("192.0.2.100", StringComparison.Ordinal) && l.Contains("bytes from", StringComparison.OrdinalIgnoreCase));
                return answer is not null;
            }, "arping 192.0.2.100 from the client gets an answer", TimeSpan.FromSeconds(180));
            output.WriteLine($"arping: {answer}");
            Assert.Contains(lab.Node.Mac, answer, StringComparison.OrdinalIgnoreCase);
            // Under the chart's RBAC the containerised speaker also reports what it announces.
            await scenario.RunAsync(scenario.SpeakerStages().Take(1), strict: true, TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(lab.Decisions, d => !d.Allowed);
            await ContainerImages.RecordAsync(output.WriteLine, ContainerImages.Name("speaker"), name, "announcing 1 L2 and 1 BGP Service");
        }
        finally
        {
            await ContainerImages.RemoveAsync(name);
            output.WriteLine(podman.Output);
            output.WriteLine(lab.Describe());
        }
    }
}
