namespace MetalLb.Net.Cli.Tests;

/// <summary>
/// Bad input gets exit code 2, the file and line, and what to fix; never a stack trace, and
/// never a plan made from half-read input.
/// </summary>
public sealed class BadInputTests
{
    private const string Pool = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: p\n  namespace: metallb-system\nspec:\n  addresses: [192.0.2.0/24]\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "malformed YAML", "apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n", "input.yaml:5: malformed YAML: While parsing a flow sequence" },
        { "wrong type for a boolean", Pool + "  autoAssign: maybe\n", "input.yaml:8: IPAddressPool: spec.autoAssign: expected true or false" },
        { "number where a string is needed", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels:\n    version: 1\n", "input.yaml:6: Service: metadata.labels.version: expected a string" },
        { "a list where a map is needed", Pool.Replace("  name: p\n", "  name: p\n  labels: [a]\n", StringComparison.Ordinal), "input.yaml:5: IPAddressPool: metadata.labels: expected a map of strings" },
        { "misspelt field", Pool.Replace("addresses", "adresses", StringComparison.Ordinal), "input.yaml:7: IPAddressPool: unknown field \"spec.adresses\"" },
        { "misspelt metallb kind", Pool.Replace("IPAddressPool", "IPAdressPool", StringComparison.Ordinal), "input.yaml:1: metallb.io has no kind IPAdressPool; did you mean IPAddressPool?" },
        { "removed AddressPool kind", "apiVersion: metallb.io/v1beta1\nkind: AddressPool\nmetadata:\n  name: p\n", "AddressPool was removed from MetalLB" },
        { "wrong version of a known kind", Pool.Replace("v1beta1", "v1", StringComparison.Ordinal), "IPAddressPool is not served as metallb.io/v1; use apiVersion metallb.io/v1beta1" },
        { "missing kind", "apiVersion: v1\nmetadata:\n  name: s\n", "input.yaml:1: missing kind" },
        { "missing apiVersion", "kind: Service\nmetadata:\n  name: s\n", "input.yaml:1: missing apiVersion" },
        { "a document that is a list", "- a\n- b\n", "input.yaml:1: a manifest document must be a mapping" },
        { "missing name", "apiVersion: v1\nkind: Node\nmetadata:\n  labels: {a: b}\n", "Node: metadata.name is required" },
        { "duplicate object", Pool + "---\n" + Pool, "input.yaml:9: duplicate IPAddressPool \"metallb-system/p\": already defined at" },
        { "duplicate key in a mapping", "apiVersion: v1\nkind: Node\nkind: Node\nmetadata:\n  name: n\n", "input.yaml:3: malformed YAML: key \"kind\" appears twice" },
        { "BGPPeer in both versions under one name", "apiVersion: metallb.io/v1beta1\nkind: BGPPeer\nmetadata: {name: r, namespace: metallb-system}\nspec: {myASN: 1, peerASN: 2, peerAddress: 192.0.2.1}\n---\napiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: {name: r, namespace: metallb-system}\nspec: {myASN: 1, peerASN: 2, peerAddress: 192.0.2.1}\n", "duplicate BGPPeer" },
        { "negative ASN", "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: {name: r, namespace: metallb-system}\nspec: {myASN: -1, peerASN: 2, peerAddress: 192.0.2.1}\n", "spec.myASN: expected a whole number from 0 to 4294967295" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exits_2_with_file_line_and_what_to_fix(string name, string yaml, string message)
    {
        var run = CliRun.OfYaml(yaml);
        Assert.True(run.ExitCode == 2, $"{name}: exit {run.ExitCode}\n{run.Stderr}");
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was planned", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);   // no stack trace
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var run = CliRun.Of(["plan", "/nonexistent/metallb.yaml"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/metallb.yaml: no such file or folder", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_exit_2_and_point_at_help()
    {
        var run = CliRun.Of(["plan", "--output", "xml", "x.yaml"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_metallb_does_not_read_are_ignored_with_a_warning()
    {
        var run = CliRun.OfYaml(Pool + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: input.yaml:9: ignored: Deployment (apps/v1) is not read by metallb-net", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Metallb_objects_outside_the_namespace_are_ignored_as_upstream_ignores_them()
    {
        var run = CliRun.OfYaml(Pool.Replace("metallb-system", "elsewhere", StringComparison.Ordinal)
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: LoadBalancer}\n");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ignored: IPAddressPool \"p\" is in namespace \"elsewhere\"", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("<pending>", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_teaches_with_an_example()
    {
        var run = CliRun.Of(["plan", "--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("metallb-net plan deploy/samples/", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--output", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_help_lists_each_command_in_one_line()
    {
        var run = CliRun.Of(["--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("metallb-net plan [options] PATH...", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("metallb-net validate [options] PATH...", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Examples:", run.Stdout, StringComparison.Ordinal);
    }
}
