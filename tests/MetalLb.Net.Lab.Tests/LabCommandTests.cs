using System.Text.Json;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.Lab.Tests;

/// <summary>
/// `metallb-net lab` end to end, through the executable: up, a Service made with kubectl, curl
/// from the client naming the node that answered, a failover, and down leaving nothing behind;
/// and the messages and exit codes of the ways a user gets it wrong.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class LabCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] NodeNames = ["node1", "node2", "node3"];

    private readonly LabCli _cli = new(output.WriteLine);
    private readonly string _name = LabCli.NewName();
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-test-").FullName;

    [SkippableFact]
    public async Task Up_then_kubectl_curl_failover_and_down_leaves_nothing()
    {
        LabCli.RequirePrerequisites();
        string kubeconfig = Path.Combine(_dir, "kubeconfig");
        var up = _cli.Lab("lab", "up", "--name", _name, "--nodes", "3", "--mode", "both", "--kubeconfig", kubeconfig);
        Assert.True(up.ExitCode == 0, up.All);
        Assert.Contains("==> the lab is up", up.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(kubeconfig), "the kubeconfig is where --kubeconfig said");

        // Up again: refused, the running lab untouched.
        var again = _cli.Lab("lab", "up", "--name", _name);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already up", again.Stderr, StringComparison.Ordinal);

        // kubectl, as a user runs it, against the lab's API server.
        string file = Path.Combine(_dir, "services.yaml");
        await File.WriteAllTextAsync(file, LabCli.WebAndApiServices);
        var apply = _cli.Kubectl_(kubeconfig, "apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.All);
        string ip = await Eventually.Value(
            () => Task.FromResult(_cli.Kubectl_(kubeconfig, "get", "svc", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Stdout.Trim()),
            v => v.StartsWith("192.0.2.", StringComparison.Ordinal), "kubectl shows web's IP from the L2 pool", Describe, TimeSpan.FromSeconds(60));
        string bgpIp = await Eventually.Value(
            () => Task.FromResult(_cli.Kubectl_(kubeconfig, "get", "svc", "api", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}").Stdout.Trim()),
            v => v.StartsWith("203.0.113.", StringComparison.Ordinal), "kubectl shows api's IP from the BGP pool", Describe, TimeSpan.FromSeconds(60));

        // From the client, the Service IP answers with the name of the node the traffic reached.
        string client = $"mlb-{_name}-client";
        string first = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, ip)), NodeNames.Contains,
            $"curl http://{ip}/ from the client names a node", Describe, TimeSpan.FromSeconds(60));
        string viaRouter = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, bgpIp)), NodeNames.Contains,
            $"curl http://{bgpIp}/ (through the router, BGP) names a node", Describe, TimeSpan.FromSeconds(90));
        output.WriteLine($"{ip} answered by {first}; {bgpIp} by {viaRouter}");

        var status = _cli.Lab("lab", "status", "--name", _name);
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Contains("default/web", status.Stdout, StringComparison.Ordinal);
        Assert.Contains(ip, status.Stdout, StringComparison.Ordinal);

        // Cut the owner's link under traffic: another node takes the IP, and curl names it.
        var failover = _cli.Lab("lab", "failover", "--name", _name, "--how", "cut", "--service", "default/web");
        Assert.True(failover.ExitCode == 0, failover.All);
        string owner = System.Text.RegularExpressions.Regex.Match(failover.Stdout, @"is answered by (node\d+);").Groups[1].Value;
        string newOwner = failover.Stdout.Split('\n').First(l => l.Contains("now answered by", StringComparison.Ordinal)).Split(':', 2)[1].Trim().Split(',')[0];
        Assert.Contains(owner, NodeNames);
        Assert.Contains(newOwner, NodeNames);
        Assert.NotEqual(owner, newOwner);
        Assert.Contains("client outage:", failover.Stdout, StringComparison.Ordinal);
        string after = await Eventually.Value(() => Task.FromResult(_cli.Curl(client, ip)), NodeNames.Contains,
            $"curl http://{ip}/ after the failover names a node", Describe, TimeSpan.FromSeconds(60));
        output.WriteLine($"after the failover {ip} is answered by {after}");

        // Down: nothing of the lab is left, and down again says there is nothing.
        var state = ReadState();
        var down = _cli.Lab("lab", "down", "--name", _name);
        Assert.True(down.ExitCode == 0, down.All);
        AssertNothingLeft(state, kubeconfig);
        var twice = _cli.Lab("lab", "down", "--name", _name);
        Assert.Equal(0, twice.ExitCode);
        Assert.Contains("nothing to remove", twice.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Down_after_up_crashed_removes_what_it_left()
    {
        LabCli.RequirePrerequisites();
        var up = _cli.Lab("lab", "up", "--name", _name, "--nodes", "2", "--mode", "bgp");
        Assert.True(up.ExitCode == 0, up.All);
        var state = ReadState();

        // The lab's own process dies without cleaning up (kill -9): its children and namespaces stay.
        Assert.True(ProcInfo.Signal(state.DaemonPid, state.DaemonStartTime, ProcInfo.SigKill));
        Assert.True(ProcInfo.WaitGone(state.DaemonPid, state.DaemonStartTime, TimeSpan.FromSeconds(30)));
        Assert.Contains(state.Processes, p => ProcInfo.IsAlive(p.Pid, p.StartTime));
        Assert.NotEmpty(LabTeardown.LabNamespaces($"mlb-{_name}-"));

        var status = _cli.Lab("lab", "status", "--name", _name);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("lab down", status.Stderr, StringComparison.Ordinal);
        var upAgain = _cli.Lab("lab", "up", "--name", _name);
        Assert.Equal(1, upAgain.ExitCode);
        Assert.Contains("left things behind", upAgain.Stderr, StringComparison.Ordinal);

        var down = _cli.Lab("lab", "down", "--name", _name);
        Assert.True(down.ExitCode == 0, down.All);
        AssertNothingLeft(state, null);
    }

    [SkippableFact]
    public void Down_without_a_lab_says_there_is_nothing_and_succeeds()
    {
        Prerequisite.Root("nothing else");
        var down = _cli.Lab("lab", "down", "--name", _name);
        Assert.Equal(0, down.ExitCode);
        Assert.Contains($"no lab named '{_name}'", down.Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing to remove", down.Stdout, StringComparison.Ordinal);
        var status = _cli.Lab("lab", "status", "--name", _name);
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("lab up", status.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_missing_frr_is_named_with_how_to_install_it_and_nothing_is_made()
    {
        Prerequisite.Root("nothing else");
        // A PATH with every tool the lab needs except FRR's vtysh, as on a machine without FRR.
        string bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        foreach (string tool in (string[])["ip", "nft", "sysctl", "setsid", "sh", "dotnet"])
        {
            string? real = Prerequisite.Find(tool, $"/usr/sbin/{tool}", $"/usr/bin/{tool}", $"/sbin/{tool}", $"/bin/{tool}");
            if (real is not null)
                File.CreateSymbolicLink(Path.Combine(bin, tool), real);
        }
        var run = _cli.LabWithPath(bin, "lab", "up", "--name", _name, "--mode", "bgp");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("FRR", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("apt-get install frr", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--mode l2", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(LabTeardown.LabNamespaces($"mlb-{_name}-"));
        Assert.False(Directory.Exists(LabPaths.Dir(_name)), "nothing written before the checks pass");
    }

    [SkippableFact]
    public void An_existing_kubeconfig_is_never_taken_over()
    {
        LabCli.RequirePrerequisites();
        // `lab down` deletes the lab's kubeconfigs, so pointing --kubeconfig at ~/.kube/config must be refused.
        string existing = Path.Combine(_dir, "config");
        File.WriteAllText(existing, "mine");
        var run = _cli.Lab("lab", "up", "--name", _name, "--kubeconfig", existing);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already exists", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(existing));
        Assert.Empty(LabTeardown.LabNamespaces($"mlb-{_name}-"));
    }

    [Fact]
    public void Lab_help_teaches_the_commands_with_examples()
    {
        var help = _cli.Lab("lab", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (string text in (string[])["up", "status", "failover", "down", "sudo metallb-net lab up", "curl"])
            Assert.Contains(text, help.Stdout, StringComparison.Ordinal);
        var failover = _cli.Lab("lab", "failover", "--help");
        Assert.Contains("kill", failover.Stdout, StringComparison.Ordinal);
        Assert.Contains("cut", failover.Stdout, StringComparison.Ordinal);
        var bad = _cli.Lab("lab", "up", "--mode", "ospf");
        Assert.Equal(2, bad.ExitCode);
    }

    private LabState ReadState() => LabState.Read(_name) ?? throw new InvalidOperationException($"no state for lab {_name}");

    private void AssertNothingLeft(LabState state, string? kubeconfig)
    {
        Assert.Empty(LabTeardown.LabNamespaces($"mlb-{_name}-"));
        Assert.DoesNotContain(state.Processes, p => ProcInfo.IsAlive(p.Pid, p.StartTime));
        Assert.False(ProcInfo.IsAlive(state.DaemonPid, state.DaemonStartTime), "the lab's own process is gone");
        Assert.False(Directory.Exists(LabPaths.Dir(_name)), $"{LabPaths.Dir(_name)} is gone");
        if (kubeconfig is not null)
            Assert.False(File.Exists(kubeconfig), "the --kubeconfig file is gone");
        foreach (string ns in state.Namespaces)
            Assert.False(File.Exists($"/var/run/netns/{ns}"), $"{ns} is gone");
    }

    private string Describe()
    {
        string log = LabPaths.Log(_name);
        var state = LabState.Read(_name);
        return $"lab state: {(state is null ? "none" : JsonSerializer.Serialize(state.Processes))}\n--- lab.log ---\n" +
               (File.Exists(log) ? string.Join('\n', File.ReadAllLines(log).TakeLast(40)) : "(none)");
    }

    public void Dispose()
    {
        _cli.DownIfLeft(_name);
        Directory.Delete(_dir, recursive: true);
    }
}
