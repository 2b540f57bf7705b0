using System.Diagnostics;
using MetalLb.Net.KubeEmulator;
using MetalLb.Net.TestKit;
using MetalLb.Net.Lab;
using MetalLb.Net.TestKit.ClusterLab;
using Xunit.Abstractions;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>
/// The chart's RBAC is exactly enough. The emulator enforces RBAC for ServiceAccount tokens as
/// kube-apiserver does; the real controller and speaker run with their own ServiceAccounts'
/// tokens and the chart's Roles and ClusterRoles. With every rule they do everything a user
/// expects and are never refused, and every single permission granted is used at least once.
/// Then each rule is taken out in turn (the webhook path's rules one verb on one resource at a
/// time): the program asks for what it granted, is refused (403), and the refusal shows (in its
/// log or as an effect that never comes). The chart is rendered with its default values, so the
/// validating and conversion webhooks are on and the scenario goes through them
/// (RbacScenario.WebhookStages). Two limits, written in docs/deploy.md too: the Secrets list and
/// create rule is shown by memberlist before the webhooks' own use of it, and a Node watch taken
/// out shows only in the log (no stage changes a Node between two admissions).
/// </summary>
public sealed class ChartRbacTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StageDeadline = TimeSpan.FromSeconds(120);

    /// <summary>How long a stage may take once a rule is missing before its effect counts as missing.</summary>
    private static readonly TimeSpan RemovedRuleStageDeadline = TimeSpan.FromSeconds(25);

    [SkippableFact]
    public async Task With_the_charts_rbac_both_programs_work_are_never_refused_and_use_every_permission_granted()
    {
        ClusterLab.RequirePrerequisites(router: false);
        var chart = await RenderAsync();
        var watch = Stopwatch.StartNew();
        await using var lab = await RbacLab.StartAsync(chart);
        var scenario = new RbacScenario(lab);
        try
        {
            await scenario.SetUpAsync();
            await lab.AddNodeAsync(RbacScenario.SpeakerPod);
            lab.StartController(RbacScenario.ControllerPod);
            await scenario.RunAsync(scenario.ControllerStages(), strict: true, StageDeadline);
            lab.StartSpeaker(RbacScenario.SpeakerPod, await scenario.WriteKeyFileAsync());
            await scenario.RunAsync(scenario.SpeakerStages(), strict: true, StageDeadline);
            output.WriteLine($"scenario done in {watch.Elapsed.TotalSeconds:0.0} s; {lab.Decisions.Count} RBAC decisions");

            var denied = lab.Decisions.Where(d => !d.Allowed).Select(d => d.Message).Distinct().ToList();
            Assert.True(denied.Count == 0, $"refused with the chart's own RBAC:\n{string.Join('\n', denied)}");

            var unused = new List<string>();
            foreach (var workload in new[] { lab.Deployment, lab.DaemonSet })
            {
                string user = lab.UserOf(workload);
                var mine = lab.Decisions.Where(d => d.User == user).ToList();
                foreach (var rule in RbacRule.BoundTo(chart, RbacLab.ServiceAccountOf(workload), Helm.Namespace))
                    unused.AddRange(rule.Permissions().Where(p => !mine.Any(p.UsedBy)).Select(p => $"{user}: {p} ({rule})"));
            }
            Assert.True(unused.Count == 0, $"granted by the chart but never used:\n{string.Join('\n', unused)}");
        }
        finally
        {
            output.WriteLine(lab.Describe());
        }
    }

    [SkippableFact]
    public Task Each_rule_of_the_controllers_roles_is_needed() => EachRuleIsNeededAsync(speaker: false);

    [SkippableFact]
    public Task Each_rule_of_the_speakers_roles_is_needed() => EachRuleIsNeededAsync(speaker: true);

    private async Task EachRuleIsNeededAsync(bool speaker)
    {
        ClusterLab.RequirePrerequisites(router: false);
        var chart = await RenderAsync();
        var withoutWebhooks = await RenderAsync("controller.webhookMode=disabled");
        var workload = speaker ? chart.Single("DaemonSet") : chart.Single("Deployment");
        string account = RbacLab.ServiceAccountOf(workload);
        string user = $"system:serviceaccount:{Helm.Namespace}:{account}";
        var rules = RbacRule.BoundTo(chart, account, Helm.Namespace);
        Assert.NotEmpty(rules);
        var failures = new List<string>();
        foreach (var rule in rules)
        {
            // The webhook path's rules are taken apart further: each verb on each resource in
            // turn, so a verb kept "just in case" (update where patch is used, watch where a list
            // is enough) shows as unneeded. The others are removed whole.
            var removals = !speaker && WebhookRelated(rule, withoutWebhooks) && rule.Permissions().Count() > 1
                ? rule.Permissions().Select(p => (What: $"{p} of {rule}", Chart: rule.Without(chart, p), Covers: (Func<AuthorizationRecord, bool>)p.Covers))
                : [(What: rule.ToString(), Chart: rule.Without(chart), Covers: rule.Allows)];
            foreach (var removal in removals)
            {
                var watch = Stopwatch.StartNew();
                var (denial, evidence) = await RunWithoutAsync(removal.Chart, removal.Covers, user, speaker);
                output.WriteLine($"without {removal.What}: {(denial is null ? "NOT REFUSED" : $"refused \"{denial}\"")}; {evidence ?? "nothing observable"} ({watch.Elapsed.TotalSeconds:0} s)");
                if (denial is null || evidence is null)
                    failures.Add($"{removal.What}: {(denial is null ? "the program never asked for what it grants" : "the refusal showed nowhere")}");
            }
        }
        Assert.True(failures.Count == 0, $"rules nothing needs:\n{string.Join('\n', failures)}");
    }

    /// <summary>
    /// A rule the webhooks need: one the chart renders only with webhooks on, or the Secrets
    /// rules (the webhook certificate and the peers' passwords share them with memberlist).
    /// </summary>
    private static bool WebhookRelated(RbacRule rule, Manifest withoutWebhooks) =>
        rule.Strings("resources").Contains("secrets")
        || !withoutWebhooks.OfKind(rule.RoleKind).Any(r => (string?)r["metadata"]!["name"] == rule.RoleName
            && (r["rules"]?.AsArray() ?? []).Any(other => System.Text.Json.Nodes.JsonNode.DeepEquals(other, rule.Rule)));

    /// <summary>
    /// One run with <paramref name="chart"/> (a rule or a permission taken out): the refusal the
    /// emulator answered for what was taken out (<paramref name="covers"/>; null: none) and what
    /// showed it to a user (the program's log line, or the effects that never came).
    /// </summary>
    private static async Task<(string? Denial, string? Evidence)> RunWithoutAsync(Manifest chart, Func<AuthorizationRecord, bool> covers, string user, bool speaker)
    {
        await using var lab = await RbacLab.StartAsync(chart);
        var scenario = new RbacScenario(lab);
        await scenario.SetUpAsync();
        var program = () => speaker ? lab.Speaker : lab.Controller;
        string? Denial() => lab.Decisions.FirstOrDefault(d => !d.Allowed && d.User == user && covers(d))?.Message;
        string? Logged() => program()?.ReadLog().Split('\n').FirstOrDefault(l => l.Contains("forbidden", StringComparison.Ordinal));
        bool Shown() => Denial() is not null && (Logged() is not null || scenario.Missing.Count > 0);

        if (speaker)
            await lab.AddNodeAsync(RbacScenario.SpeakerPod);
        lab.StartController(RbacScenario.ControllerPod);
        if (speaker)
        {
            // The controller keeps its full RBAC here: it makes the memberlist Secret the speaker mounts.
            await Eventually.True(async () => await scenario.MemberlistSecretAsync() is not null,
                "the controller creates the memberlist Secret", TimeSpan.FromSeconds(120));
            lab.StartSpeaker(RbacScenario.SpeakerPod, await scenario.WriteKeyFileAsync());
        }
        // The stage deadlines count from the program's first request, not from a slow start.
        await Eventually.True(() => lab.Decisions.Any(d => d.User == user) || program() is { IsRunning: false },
            $"{user} sends its first request", TimeSpan.FromSeconds(120));
        await scenario.RunAsync(speaker ? scenario.SpeakerStages() : scenario.ControllerStages(), strict: false, RemovedRuleStageDeadline, Shown);
        string? logged = Logged();
        string? evidence = logged is not null ? $"its log: {MessageOf(logged)}"
            : scenario.Missing.Count > 0 ? $"never happened: {string.Join("; ", scenario.Missing)}" : null;
        return (Denial(), evidence);
    }

    /// <summary>The Message of a JSON log line (the programs log JSON), else the line.</summary>
    private static string MessageOf(string line)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(line[line.IndexOf('{', StringComparison.Ordinal)..])?["Message"]?.GetValue<string>() ?? line.Trim();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            return line.Trim();
        }
    }

    /// <summary>
    /// The chart with its default values (webhooks on), but for the ports a shared machine may
    /// have taken and without the CRDs (the lab installs deploy/crds, which the chart copies).
    /// </summary>
    private static async Task<Manifest> RenderAsync(params string[] values)
    {
        using var helm = new Helm();
        int metrics = Kubelet.FreePort(), health = Kubelet.FreePort();
        return Manifest.Parse(await helm.TemplateAsync([
            $"prometheus.metricsPort={metrics}", $"controller.livenessProbe.port={health}",
            $"controller.readinessProbe.port={health}", "crds.enabled=false", .. values]));
    }
}
