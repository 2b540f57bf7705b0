using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MetalLb.Net.Cli.Tests;

/// <summary>
/// `metallb-net` as a user runs it: the built executable in its own process, arguments parsed by
/// the real entry point, input from files or standard input ("-"), and the exit codes docs/plan.md
/// promises (0 valid, 1 invalid, 2 usage error or unreadable input).
/// </summary>
public sealed class ExecutableTests
{
    private const string Pool = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: NS}\nspec: {addresses: [198.51.100.0/30]}\n---\n";
    private const string Node = "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n---\n";
    private const string Service = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {type: LoadBalancer, ports: [{port: 80}], selector: {app: web}CLASS}\n";

    private sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static Run Exec(string stdin, params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "metallb-net.exe" : "metallb-net");
        Assert.True(File.Exists(exe), $"no executable at {exe}");
        var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(); // the process we started, by its handle
            Assert.Fail($"metallb-net {string.Join(' ', args)} did not finish");
        }
        return new Run(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Yaml(string ns = "metallb-system", string lbClass = "") =>
        Pool.Replace("NS", ns, StringComparison.Ordinal) + Node + Service.Replace("CLASS", lbClass, StringComparison.Ordinal);

    private static JsonArray? Ips(Run run) => JsonNode.Parse(run.Stdout)!["services"]!.AsArray().Single()!["ips"]!.AsArray();

    [Fact]
    public void Validate_reads_standard_input_and_exits_0_for_a_valid_configuration()
    {
        var run = Exec(Yaml(), "validate", "-");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
    }

    [Fact]
    public void Validate_exits_1_for_an_invalid_configuration_and_says_why()
    {
        var run = Exec(Yaml().Replace("198.51.100.0/30", "198.51.100.0/33", StringComparison.Ordinal), "validate", "-");
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
        Assert.Contains("198.51.100.0/33", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_input_and_unknown_options_exit_2()
    {
        var unreadable = Exec("apiVersion: v1\nkind: Node\nmetadata:\n  name: [unclosed\n", "validate", "-");
        Assert.True(unreadable.ExitCode == 2, $"exit {unreadable.ExitCode}: {unreadable.Stderr}");
        Assert.Contains("<stdin>:5: malformed YAML", unreadable.Stderr, StringComparison.Ordinal); // file:line
        var usage = Exec("", "validate", "--no-such-option", "-");
        Assert.True(usage.ExitCode == 2, $"exit {usage.ExitCode}: {usage.Stderr}");
        var missing = Exec("", "validate", Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml"));
        Assert.True(missing.ExitCode == 2, $"exit {missing.ExitCode}: {missing.Stderr}");
    }

    [Fact]
    public void Bgp_mode_native_refuses_what_frr_k8s_accepts()
    {
        // Upstream's native speaker cannot carry IPv6 routes: an IPv6 pool selected by a
        // BGPAdvertisement is invalid there and fine for frr-k8s.
        var yaml = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: v6, namespace: metallb-system}\nspec: {addresses: [2001:db8::/120]}\n---\n" +
            "apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: {name: ads, namespace: metallb-system}\n";
        var frrK8s = Exec(yaml, "validate", "-");
        var native = Exec(yaml, "validate", "--bgp-mode", "native", "-");
        Assert.True(frrK8s.ExitCode == 0, $"frr-k8s: exit {frrK8s.ExitCode}: {frrK8s.Stderr}{frrK8s.Stdout}");
        Assert.True(native.ExitCode == 1, $"native: exit {native.ExitCode}: {native.Stderr}{native.Stdout}");
        Assert.Equal(2, Exec(yaml, "validate", "--bgp-mode", "bird", "-").ExitCode);
    }

    [Fact]
    public void Namespace_selects_which_metallb_objects_count()
    {
        var yaml = Yaml(ns: "lb");
        Assert.Empty(Ips(Exec(yaml, "plan", "--output", "json", "-"))!);
        var run = Exec(yaml, "plan", "--output", "json", "--namespace", "lb", "-");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Equal("198.51.100.0", Ips(run)!.Single()!.GetValue<string>());
    }

    [Fact]
    public void Lb_class_makes_a_service_of_that_class_ours()
    {
        var yaml = Yaml(lbClass: ", loadBalancerClass: example.com/lb");
        Assert.Empty(Ips(Exec(yaml, "plan", "--output", "json", "-"))!);
        var run = Exec(yaml, "plan", "--output", "json", "--lb-class", "example.com/lb", "-");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Equal("198.51.100.0", Ips(run)!.Single()!.GetValue<string>());
    }
}
