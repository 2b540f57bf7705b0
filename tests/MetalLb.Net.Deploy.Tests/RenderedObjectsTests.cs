using System.Text.Json.Nodes;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>What the rendered chart promises a cluster admin: least privilege, and upstream's shape.</summary>
public sealed class RenderedObjectsTests
{
    private static async Task<Manifest> RenderAsync(params string[] values)
    {
        using var helm = new Helm();
        return Manifest.Parse(await helm.TemplateAsync(values));
    }

    private static IEnumerable<(JsonObject Role, JsonObject Rule)> Rules(Manifest m) =>
        m.OfKind("ClusterRole").Concat(m.OfKind("Role"))
            .SelectMany(r => (r["rules"]?.AsArray() ?? []).Select(rule => (r, (JsonObject)rule!)));

    private static IEnumerable<string> Strings(JsonNode? array) => (array?.AsArray() ?? []).Select(n => (string)n!);

    [SkippableFact]
    public async Task No_rule_uses_a_wildcard()
    {
        var m = await RenderAsync("prometheus.podMonitor.enabled=true", "prometheus.serviceAccount=p", "prometheus.namespace=mon");

        foreach (var (role, rule) in Rules(m))
        {
            foreach (string field in (string[])["apiGroups", "resources", "verbs"])
                Assert.DoesNotContain("*", Strings(rule[field]));
            Assert.True(rule["nonResourceURLs"] is null, $"{Manifest.Describe(role)} grants non-resource URLs");
        }
    }

    [SkippableFact]
    public async Task Secrets_are_reachable_only_in_the_release_namespace()
    {
        var m = await RenderAsync();

        foreach (var (role, rule) in Rules(m).Where(x => Strings(x.Rule["resources"]).Contains("secrets")))
        {
            Assert.Equal("Role", (string?)role["kind"]);
            Assert.Equal(Helm.Namespace, (string?)role["metadata"]!["namespace"]);
        }
        Assert.Contains(Rules(m), x => Strings(x.Rule["resources"]).Contains("secrets"));
    }

    [SkippableFact]
    public async Task The_speaker_writes_only_its_status_kinds_events_and_configuration_state()
    {
        var m = await RenderAsync();
        string[] writes = ["create", "update", "patch", "delete", "deletecollection"];
        string[] allowed = ["servicel2statuses", "servicebgpstatuses", "configurationstates", "servicel2statuses/status",
            "servicebgpstatuses/status", "configurationstates/status", "events"];

        var speakerRules = Rules(m).Where(x => ((string?)x.Role["metadata"]!["name"])!.EndsWith("speaker", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(speakerRules);
        foreach (var (_, rule) in speakerRules.Where(x => Strings(x.Rule["verbs"]).Intersect(writes).Any()))
            Assert.All(Strings(rule["resources"]), r => Assert.Contains(r, allowed));
    }

    [SkippableFact]
    public async Task Controller_runs_without_capabilities_and_speaker_with_net_raw_only()
    {
        var m = await RenderAsync();
        var controller = Manifest.Container(m.Single("Deployment"));
        var speakerPod = m.Single("DaemonSet")["spec"]!["template"]!["spec"]!;
        var speaker = Manifest.Container(m.Single("DaemonSet"));

        Assert.Equal(["ALL"], Strings(controller["securityContext"]!["capabilities"]!["drop"]));
        Assert.Null(controller["securityContext"]!["capabilities"]!["add"]);
        Assert.True((bool)controller["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)controller["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["NET_RAW"], Strings(speaker["securityContext"]!["capabilities"]!["add"]));
        Assert.True((bool)speakerPod["hostNetwork"]!);
    }

    [SkippableFact]
    public async Task The_speaker_gets_the_contract_flags_and_env()
    {
        var m = await RenderAsync("loadBalancerClass=metallb-net.io/lb", "speaker.ignoreExcludeLB=true", "speaker.memberlist.profile=lan");
        var ds = m.Single("DaemonSet");
        var env = (Manifest.Container(ds)["env"]?.AsArray() ?? []).ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Equal(["--port=9120", "--log-level=info", "--lb-class=metallb-net.io/lb", "--ignore-exclude-lb", "--ml-profile=lan"], Manifest.Args(ds));
        Assert.Equal("spec.nodeName", (string?)env["METALLB_NODE_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("status.podIP", (string?)env["METALLB_ML_BIND_ADDR"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("app.kubernetes.io/name=metallb-net,app.kubernetes.io/component=speaker", (string?)env["METALLB_ML_LABELS"]["value"]);
        Assert.Equal("/etc/ml_secret_key/secretkey", (string?)env["METALLB_ML_SECRET_KEY_PATH"]["value"]);
        // The labels memberlist looks for are the ones the DaemonSet puts on its pods.
        var podLabels = ds["spec"]!["template"]!["metadata"]!["labels"]!;
        Assert.Equal("metallb-net", (string?)podLabels["app.kubernetes.io/name"]);
        Assert.Equal("speaker", (string?)podLabels["app.kubernetes.io/component"]);
        // The memberlist Secret the speaker mounts is the one the controller is told to create.
        var controllerEnv = (Manifest.Container(m.Single("Deployment"))["env"]?.AsArray() ?? []).ToDictionary(e => (string)e!["name"]!, e => e!);
        var volume = ds["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "memberlist")!;
        Assert.Equal((string?)controllerEnv["METALLB_ML_SECRET_NAME"]["value"], (string?)volume["secret"]!["secretName"]);
    }

    [SkippableFact]
    public async Task A_changed_value_reaches_the_objects()
    {
        var m = await RenderAsync("controller.replicas=3", "prometheus.metricsPort=9200", "controller.logLevel=debug");
        var deployment = m.Single("Deployment");

        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);
        Assert.Contains("--port=9200", Manifest.Args(deployment));
        Assert.Contains("--log-level=debug", Manifest.Args(deployment));
        Assert.Contains("--port=9200", Manifest.Args(m.Single("DaemonSet")));
    }
}
