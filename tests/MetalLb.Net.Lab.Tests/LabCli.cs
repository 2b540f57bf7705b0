using System.Diagnostics;
using MetalLb.Net.Lab;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Lab.Tests;

/// <summary>
/// Runs `metallb-net` (the built executable) and the user's tools (kubectl, curl) as a user
/// would, with a deadline, and keeps every command and its output for a failure message.
/// </summary>
public sealed class LabCli(Action<string> log)
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    /// <summary>Two LoadBalancer Services, as a user would apply them: web (the lab's first pool, L2) and api (the BGP pool, by annotation).</summary>
    public const string WebAndApiServices = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          type: LoadBalancer
          selector: {app: web}
          ports: [{port: 80, protocol: TCP}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: api
          namespace: default
          annotations: {metallb.io/address-pool: lab-bgp}
        spec:
          type: LoadBalancer
          selector: {app: api}
          ports: [{port: 80, protocol: TCP}]
        """;

    /// <summary>A lab name unique to this test run, so it never meets a user's lab ("lab") or another test's.</summary>
    public static string NewName() => "t" + Guid.NewGuid().ToString("N")[..7];

    public static string Executable
    {
        get
        {
            string exe = Path.Combine(AppContext.BaseDirectory, "metallb-net");
            Assert.True(File.Exists(exe), $"no executable at {exe}");
            return exe;
        }
    }

    /// <summary>
    /// `lab down` for <paramref name="name"/> if anything of it is left: a failed test must not
    /// leave its lab running (down is idempotent). Every lab test's Dispose calls it.
    /// </summary>
    public void DownIfLeft(string name)
    {
        if (Environment.IsPrivilegedProcess && (LabState.Read(name) is not null || LabTeardown.LabNamespaces($"mlb-{name}-").Count > 0))
            Lab("lab", "down", "--name", name);
    }

    public static void RequirePrerequisites()
    {
        Prerequisite.Root("scripts/install/layer2-tools.sh and bgp-peers.sh");
        Prerequisite.Tool("vtysh", "scripts/install/bgp-peers.sh");
        Prerequisite.Tool("curl", "apt-get install curl");
        Prerequisite.Tool("nft", "apt-get install nftables");
        if (ClusterBinaries.Speaker is null || ClusterBinaries.Controller is null)
            throw Prerequisite.Missing($"{ClusterBinaries.SpeakerMissing}; {ClusterBinaries.ControllerMissing}");
    }

    public static string Kubectl =>
        Prerequisite.Tool("kubectl", "scripts/install/kubectl.sh", Path.Combine(RepoPaths.Tools, "kubectl-v33", "kubectl"));

    /// <summary>`metallb-net ARGS`.</summary>
    public Run Lab(params string[] args) => Exec(Executable, args, TimeSpan.FromMinutes(8));

    /// <summary>`metallb-net ARGS` with <paramref name="path"/> as PATH (to hide a tool).</summary>
    public Run LabWithPath(string path, params string[] args) => Exec(Executable, args, TimeSpan.FromMinutes(8), path);

    public Run Kubectl_(string kubeconfig, params string[] args) =>
        Exec(Kubectl, ["--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(Path.GetTempPath(), "lab-tests-kube-cache"), .. args], TimeSpan.FromMinutes(1));

    /// <summary>curl from the lab's client namespace: the body (the node's name) or "" when nothing answered.</summary>
    public string Curl(string clientNamespace, string ip) =>
        Exec("ip", ["netns", "exec", clientNamespace, Prerequisite.Tool("curl", "apt-get install curl"), "-s", "-m", "2", $"http://{ip}/"],
            TimeSpan.FromSeconds(30)).Stdout.Trim();

    public Run Exec(string tool, IEnumerable<string> args, TimeSpan timeout, string? path = null)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        if (path is not null)
            psi.Environment["PATH"] = path;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);   // the process this test started, by its handle
            p.WaitForExit();
            Assert.Fail($"{tool} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}\n{stdout.Result}{stderr.Result}");
        }
        var run = new Run(p.ExitCode, stdout.Result, stderr.Result);
        log($"$ {Path.GetFileName(tool)} {string.Join(' ', psi.ArgumentList)}  -> exit {run.ExitCode}\n{run.All}");
        return run;
    }
}
