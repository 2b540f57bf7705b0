namespace MetalLb.Net.Deploy.Tests;

/// <summary>`helm lint --strict` over the values a user is likely to set, and the schema refusing bad ones by path.</summary>
public sealed class ChartLintTests
{
    /// <summary>The values matrix of the issue: defaults, Prometheus on, webhooks on, no CRDs, a load-balancer class, and more.</summary>
    public static TheoryData<string, string[]> Matrix => new()
    {
        { "defaults", [] },
        { "prometheus on", ["prometheus.podMonitor.enabled=true", "prometheus.serviceMonitor.enabled=true", "prometheus.prometheusRule.enabled=true",
                            "prometheus.scrapeAnnotations=true", "prometheus.serviceAccount=prometheus", "prometheus.namespace=monitoring"] },
        { "webhooks on", ["controller.webhookMode=enabled"] },
        { "no crds", ["crds.enabled=false"] },
        { "lb-class", ["loadBalancerClass=metallb-net.io/lb"] },
        { "no memberlist, no excludel2", ["speaker.memberlist.enabled=false", "speaker.excludeInterfaces.enabled=false"] },
        { "two controllers, own namespace", ["controller.replicas=2", "namespace.create=true"] },
        { "no rbac, no speaker", ["rbac.create=false", "speaker.enabled=false"] },
    };

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "a log level that does not exist", "controller.logLevel=loud", "at '/controller/logLevel'" },
        { "a negative port", "controller.livenessProbe.port=-1", "at '/controller/livenessProbe/port'" },
        { "a port that is text", "prometheus.metricsPort=abc", "at '/prometheus/metricsPort'" },
        { "an unknown memberlist profile", "speaker.memberlist.profile=slow", "at '/speaker/memberlist/profile'" },
        { "a misspelt key", "contoller.replicas=2", "additional properties 'contoller' not allowed" },
        { "negative replicas", "controller.replicas=-1", "at '/controller/replicas'" },
        { "an unknown bgp type", "bgpType=gobgp", "at '/bgpType'" },
    };

    [SkippableTheory]
    [MemberData(nameof(Matrix))]
    public async Task Lint_is_clean_in_strict_mode(string name, string[] values)
    {
        using var helm = new Helm();
        var r = await helm.RunAsync(["lint", "--strict", Helm.Chart, .. values.SelectMany(v => new[] { "--set", v })]);

        Assert.True(r.ExitCode == 0, $"{name}: helm lint exited {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        Assert.DoesNotContain("[WARNING]", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", r.Stdout, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_refused_naming_its_path(string name, string value, string expected)
    {
        using var helm = new Helm();
        var r = await helm.RunAsync(["template", Helm.Release, Helm.Chart, "--set", value]);

        Assert.True(r.ExitCode != 0, $"{name}: {value} was accepted:\n{r.Stdout[..Math.Min(r.Stdout.Length, 300)]}");
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_speaker_node_selector_without_memberlist_is_refused_saying_why()
    {
        using var helm = new Helm();
        var r = await helm.RunAsync(["template", Helm.Release, Helm.Chart, "--set", "speaker.memberlist.enabled=false",
            "--set", "speaker.nodeSelector.role=edge"]);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("speaker.nodeSelector must be empty when speaker.memberlist.enabled is false", r.Stderr, StringComparison.Ordinal);
    }
}
