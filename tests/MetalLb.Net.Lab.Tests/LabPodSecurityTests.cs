using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Lab.Tests;

/// <summary>
/// The chart's least-privilege settings are what the lab's daemons run with: the node agent
/// applies each pod's securityContext, so /proc/PID/status of the running controller shows
/// nobody without a capability and the speaker root with only NET_RAW, both with no_new_privs
/// and a read-only root; the speaker sees the metallb-excludel2 ConfigMap at /etc/metallb; and
/// with all that the lab still works end to end (L2 from the client, BGP through FRR). A
/// controller template asking for root under runAsNonRoot is refused as the kubelet refuses it.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class LabPodSecurityTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>CAP_NET_RAW is capability 13 (linux/capability.h).</summary>
    private const string NetRawOnly = "0000000000002000";

    private const string NoCapability = "0000000000000000";

    private static readonly string[] NodeNames = ["node1", "node2"];

    private readonly LabCli _cli = new(output.WriteLine);
    private readonly string _name = LabCli.NewName();
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-podsec-test-").FullName;

    [SkippableFact]
    public async Task The_chart_installed_daemons_run_with_the_charts_securityContext_and_the_lab_still_works()
    {
        LabCli.RequirePrerequisites();
        string kubeconfig = Path.Combine(_dir, "kubeconfig");
        var up = _cli.Lab("lab", "up", "--name", _name, "--nodes", "2", "--mode", "both", "--kubeconfig", kubeconfig);
        Assert.True(up.ExitCode == 0, up.All);
        Assert.Contains("helm install metallb-net", up.Stdout, StringComparison.Ordinal);
        var state = LabState.Read(_name) ?? throw new InvalidOperationException("no state");

        // Controller: runAsUser 65534 with fsGroup 65534, capabilities drop ALL, no escalation, read-only /.
        var controller = state.Processes.Single(p => p.Name == "controller");
        var status = Status(controller.Pid);
        output.WriteLine($"controller {controller.Pid}: {string.Join(", ", status.Select(kv => $"{kv.Key}={kv.Value}"))}");
        Assert.Equal("65534\t65534\t65534\t65534", status["Uid"]);
        Assert.Equal("65534\t65534\t65534\t65534", status["Gid"]);
        Assert.Equal("65534", status["Groups"]);
        Assert.Equal(NoCapability, status["CapEff"]);
        Assert.Equal(NoCapability, status["CapPrm"]);
        Assert.Equal(NoCapability, status["CapBnd"]);
        Assert.Equal("1", status["NoNewPrivs"]);
        Assert.True(RootIsReadOnly(controller.Pid), $"the controller's / is read-only: {RootMount(controller.Pid)}");

        // Speakers: the image's root, capabilities drop ALL add NET_RAW, no escalation, read-only /.
        foreach (string node in NodeNames)
        {
            var speaker = state.Processes.Single(p => p.Name == "speaker-" + node);
            status = Status(speaker.Pid);
            output.WriteLine($"speaker-{node} {speaker.Pid}: {string.Join(", ", status.Select(kv => $"{kv.Key}={kv.Value}"))}");
            Assert.Equal("0\t0\t0\t0", status["Uid"]);
            Assert.Equal(NetRawOnly, status["CapEff"]);
            Assert.Equal(NetRawOnly, status["CapPrm"]);
            Assert.Equal(NetRawOnly, status["CapBnd"]);
            Assert.Equal("1", status["NoNewPrivs"]);
            Assert.True(RootIsReadOnly(speaker.Pid), $"speaker-{node}'s / is read-only: {RootMount(speaker.Pid)}");

            // The metallb-excludel2 ConfigMap is the file the speaker read its exclusions from
            // (/proc/PID/root is the process's own view of its mounts).
            string inPod = await File.ReadAllTextAsync($"/proc/{speaker.Pid}/root/etc/metallb/excludel2.yaml");
            Assert.Equal(ConfigMapData(kubeconfig, "metallb-excludel2", "excludel2.yaml"), inPod);
            Assert.False(Directory.Exists("/etc/metallb"), "/etc/metallb is only in the pod's mount namespace, not made on the host");
            string speakerLog = Path.Combine(LabPaths.Dir(_name), $"speaker-{node}.log");
            Assert.Contains(File.ReadLines(speakerLog), l => l.Contains("layer2 interfaces excluded (from /etc/metallb/excludel2.yaml", StringComparison.Ordinal));
        }

        // With exactly those rights the lab works: L2 answers from the client, BGP through FRR.
        string file = Path.Combine(_dir, "services.yaml");
        await File.WriteAllTextAsync(file, LabCli.WebAndApiServices);
        var apply = _cli.Kubectl_(kubeconfig, "apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.All);
        string l2 = await Eventually.Value(() => Task.FromResult(IngressIp(kubeconfig, "web")),
            v => v.StartsWith("192.0.2.", StringComparison.Ordinal), "web's IP from the L2 pool", Describe, TimeSpan.FromSeconds(60));
        string bgp = await Eventually.Value(() => Task.FromResult(IngressIp(kubeconfig, "api")),
            v => v.StartsWith("203.0.113.", StringComparison.Ordinal), "api's IP from the BGP pool", Describe, TimeSpan.FromSeconds(60));
        string client = $"mlb-{_name}-client";
        string first = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, l2)), NodeNames.Contains,
            $"curl http://{l2}/ from the client names a node", Describe, TimeSpan.FromSeconds(60));
        string viaRouter = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, bgp)), NodeNames.Contains,
            $"curl http://{bgp}/ (through the router, BGP) names a node", Describe, TimeSpan.FromSeconds(90));
        output.WriteLine($"{l2} answered by {first}; {bgp} by {viaRouter}");
        // Nothing either daemon did was refused for want of a right or a writable file.
        foreach (string log in (string[])["controller", .. NodeNames.Select(n => "speaker-" + n)])
            Assert.DoesNotContain(File.ReadLines(Path.Combine(LabPaths.Dir(_name), $"{log}.log")),
                l => l.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase) || l.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
                    || l.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase));

        // runAsUser 0 under the pod's runAsNonRoot: the new controller pod is refused with the kubelet's reason.
        var patch = _cli.Kubectl_(kubeconfig, "-n", "metallb-system", "patch", "deployment", "metallb-net-controller", "--type", "merge",
            "-p", """{"spec":{"template":{"spec":{"securityContext":{"runAsUser":0}}}}}""");
        Assert.True(patch.ExitCode == 0, patch.All);
        var waiting = await Eventually.Value(() => Task.FromResult(ControllerWaiting(kubeconfig)),
            w => (string?)w?["reason"] == "CreateContainerConfigError", "the new controller pod waits with CreateContainerConfigError",
            Describe, TimeSpan.FromSeconds(60));
        output.WriteLine($"refused: {waiting!.ToJsonString()}");
        Assert.Contains("runAsUser breaks non-root policy", (string?)waiting["message"], StringComparison.Ordinal);

        var down = _cli.Lab("lab", "down", "--name", _name);
        Assert.True(down.ExitCode == 0, down.All);
        Assert.DoesNotContain(state.Processes, p => ProcInfo.IsAlive(p.Pid, p.StartTime));
    }

    /// <summary>The "Key:\tvalue" lines of /proc/PID/status.</summary>
    private static Dictionary<string, string> Status(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .Where(p => p[0] is "Uid" or "Gid" or "Groups" or "CapInh" or "CapPrm" or "CapEff" or "CapBnd" or "CapAmb" or "NoNewPrivs")
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);

    /// <summary>The process's mountinfo line for / (field 5 the mount point, field 6 its options).</summary>
    private static string RootMount(int pid) =>
        File.ReadLines($"/proc/{pid}/mountinfo").Last(l => l.Split(' ')[4] == "/");

    private static bool RootIsReadOnly(int pid) => RootMount(pid).Split(' ')[5].Split(',').Contains("ro");

    private string ConfigMapData(string kubeconfig, string name, string key)
    {
        var run = _cli.Kubectl_(kubeconfig, "-n", "metallb-system", "get", "configmap", name, "-o", "json");
        Assert.True(run.ExitCode == 0, run.All);
        return (string?)JsonNode.Parse(run.Stdout)!["data"]![key] ?? "";
    }

    private JsonObject? ControllerWaiting(string kubeconfig)
    {
        var run = _cli.Kubectl_(kubeconfig, "get", "pods", "-n", "metallb-system", "-o", "json");
        return JsonNode.Parse(run.Stdout)?["items"]?.AsArray()
            .Where(p => ((string?)p!["metadata"]!["name"])?.StartsWith("metallb-net-controller-", StringComparison.Ordinal) == true)
            .Select(p => p!["status"]?["containerStatuses"]?[0]?["state"]?["waiting"] as JsonObject)
            .FirstOrDefault(w => w is not null);
    }

    private string IngressIp(string kubeconfig, string service) =>
        _cli.Kubectl_(kubeconfig, "get", "svc", service, "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Stdout.Trim();

    private string Describe()
    {
        string log = LabPaths.Log(_name);
        var state = LabState.Read(_name);
        return string.Create(CultureInfo.InvariantCulture, $"lab state: {(state is null ? "none" : JsonSerializer.Serialize(state.Processes))}\n--- lab.log ---\n") +
               (File.Exists(log) ? string.Join('\n', File.ReadAllLines(log).TakeLast(40)) : "(none)");
    }

    public void Dispose()
    {
        _cli.DownIfLeft(_name);
        Directory.Delete(_dir, recursive: true);
    }
}
