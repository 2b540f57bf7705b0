using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// Validating admission webhooks through kubectl (1.32 and 1.33) against the emulator, with a
/// real HTTPS webhook server started by the test as the counterpart: what is allowed, what is
/// refused and in which words, and what happens when the webhook is down, slow or selective.
/// </summary>
[Trait("Category", "Interop")]
public sealed class AdmissionWebhookTests(ITestOutputHelper output)
{
    private const string Hook = "configmaps.policy.example.com";

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task A_webhook_allows_and_denies_and_kubectl_prints_its_message(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        webhook.On("/validate", review => VerdictFromData(review));
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "t0ken", RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", AdmissionFixture.ServiceYaml(webhook.Port)));
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("vwc.yaml", AdmissionFixture.ConfigMapWebhook(webhook.CaBundle)));

        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("ok.yaml", AdmissionFixture.ConfigMap("ok", "allow"))));
        var denied = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("refused.yaml", AdmissionFixture.ConfigMap("refused", "deny")));
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains($"Error from server (Forbidden): error when creating \"{kubectl.Folder}/refused.yaml\": admission webhook \"{Hook}\" denied the request: data.verdict says deny", denied.Stderr);
        Assert.Contains("NotFound", (await kubectl.RunAsync("get", "configmap", "refused")).Stderr);

        // What the webhook was sent: an AdmissionReview v1 as the real server writes it.
        var create = webhook.Received.First(r => r.Body["request"]!["name"]?.GetValue<string>() == "ok").Body;
        var request = create["request"]!.AsObject();
        Assert.Equal("admission.k8s.io/v1", create["apiVersion"]!.GetValue<string>());
        Assert.Equal("AdmissionReview", create["kind"]!.GetValue<string>());
        Assert.True(Guid.TryParse(request["uid"]!.GetValue<string>(), out _));
        Assert.Equal("""{"group":"","version":"v1","kind":"ConfigMap"}""", request["kind"]!.ToJsonString());
        Assert.Equal("""{"group":"","version":"v1","resource":"configmaps"}""", request["resource"]!.ToJsonString());
        Assert.Equal(request["kind"]!.ToJsonString(), request["requestKind"]!.ToJsonString());
        Assert.Equal("CREATE", request["operation"]!.GetValue<string>());
        Assert.Equal("default", request["namespace"]!.GetValue<string>());
        Assert.Equal("kubernetes-admin", request["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal("allow", request["object"]!["data"]!["verdict"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(request["object"]!["metadata"]!["uid"]?.GetValue<string>()));
        Assert.Null(request["oldObject"]);
        Assert.False(request["dryRun"]!.GetValue<bool>());
        Assert.Equal("CreateOptions", request["options"]!["kind"]!.GetValue<string>());
        // The object stored is the one the webhook judged (same uid).
        var stored = JsonNode.Parse(await kubectl.OkAsync("get", "configmap", "ok", "-o", "json"))!;
        Assert.Equal(request["object"]!["metadata"]!["uid"]!.GetValue<string>(), stored["metadata"]!["uid"]!.GetValue<string>());

        // An update the webhook refuses leaves the object as it was; UPDATE carries oldObject.
        var update = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("ok.yaml", AdmissionFixture.ConfigMap("ok", "deny")));
        Assert.Contains($"admission webhook \"{Hook}\" denied the request: data.verdict says deny", update.Stderr);
        var last = webhook.Received.Last().Body["request"]!;
        Assert.Equal("UPDATE", last["operation"]!.GetValue<string>());
        Assert.Equal("allow", last["oldObject"]!["data"]!["verdict"]!.GetValue<string>());
        Assert.Equal("allow", (await kubectl.OkAsync("get", "configmap", "ok", "-o", "jsonpath={.data.verdict}")).Trim());
        // DELETE is not in the rules: no call, the delete goes through.
        int calls = webhook.Received.Count;
        Assert.Contains("deleted", await kubectl.OkAsync("delete", "configmap", "ok"));
        Assert.Equal(calls, webhook.Received.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task With_the_webhook_down_Fail_refuses_saying_unreachable_and_Ignore_lets_applies_pass(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        int closed = AdmissionFixture.ClosedPort();
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { UseHttps = true, BearerToken = "t0ken", RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", AdmissionFixture.ServiceYaml(closed)));
        await using var unused = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        var vwc = kubectl.WriteFile("vwc.yaml", AdmissionFixture.ConfigMapWebhook(unused.CaBundle, failurePolicy: "Fail"));
        await kubectl.OkAsync("apply", "-f", vwc);

        var refused = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("cm.yaml", AdmissionFixture.ConfigMap("cm", "allow")));
        Log(refused.Stderr);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(
            $"Error from server (InternalError): error when creating \"{kubectl.Folder}/cm.yaml\": Internal error occurred: failed calling webhook \"{Hook}\": " +
            $"failed to call webhook: Post \"https://{AdmissionFixture.ServiceHost}:443/validate?timeout=10s\": dial tcp 127.0.0.1:{closed}: connect: connection refused",
            refused.Stderr);

        kubectl.WriteFile("vwc.yaml", AdmissionFixture.ConfigMapWebhook(unused.CaBundle, failurePolicy: "Ignore"));
        await kubectl.OkAsync("apply", "-f", vwc);
        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("cm.yaml", AdmissionFixture.ConfigMap("cm", "allow"))));
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task A_webhook_slower_than_timeoutSeconds_fails_with_deadline_exceeded(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        // The webhook never answers; it returns only when the caller gives up.
        webhook.On("/hang", async (_, ctx) =>
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return null;
        });
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", AdmissionFixture.ServiceYaml(webhook.Port)));
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("vwc.yaml", AdmissionFixture.ConfigMapWebhook(webhook.CaBundle, path: "/hang", timeoutSeconds: 1)));

        var refused = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("cm.yaml", AdmissionFixture.ConfigMap("cm", "allow")));
        Assert.Contains($"failed calling webhook \"{Hook}\": failed to call webhook: Post \"https://{AdmissionFixture.ServiceHost}:443/hang?timeout=1s\": context deadline exceeded", refused.Stderr);
        Assert.Equal(1, webhook.CountOn("/hang"));
    }

    [SkippableTheory]
    [MemberData(nameof(KubectlBinary.Flavors), MemberType = typeof(KubectlBinary))]
    public async Task Namespace_and_object_selectors_skip_the_webhook(string flavor)
    {
        var binary = KubectlBinary.Require(flavor);
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        webhook.On("/validate", review => WebhookTestServer.Answer(review, allowed: false, "everything is refused here"));
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { RequestLog = Log });
        using var kubectl = new KubectlSession(binary, server) { Log = Log };
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("svc.yaml", AdmissionFixture.ServiceYaml(webhook.Port)));
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: enforced\n  labels:\n    policy: enforced\n"));
        await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("vwc.yaml", AdmissionFixture.ConfigMapWebhook(webhook.CaBundle,
            namespaceSelector: "{matchLabels: {policy: enforced}}",
            objectSelector: "{matchExpressions: [{key: skip-policy, operator: DoesNotExist}]}")));

        Assert.Contains("created", await kubectl.OkAsync("apply", "-f", kubectl.WriteFile("a.yaml", AdmissionFixture.ConfigMap("outside", "deny"))));
        Assert.Equal(0, webhook.CountOn("/validate"));
        var inside = await kubectl.RunAsync("apply", "-f", kubectl.WriteFile("b.yaml", AdmissionFixture.ConfigMap("inside", "allow", ns: "enforced")));
        Assert.Contains($"admission webhook \"{Hook}\" denied the request: everything is refused here", inside.Stderr);
        Assert.Equal(1, webhook.CountOn("/validate"));
        Assert.Contains("created", await kubectl.OkAsync("apply", "-f",
            kubectl.WriteFile("c.yaml", AdmissionFixture.ConfigMap("labelled", "allow", ns: "enforced", labels: "{skip-policy: \"yes\"}"))));
        Assert.Equal(1, webhook.CountOn("/validate"));
    }

    /// <summary>Allows unless data.verdict is "deny"; the message names the field, as a user would want.</summary>
    internal static JsonObject VerdictFromData(JsonObject review)
    {
        var verdict = review["request"]?["object"]?["data"]?["verdict"]?.GetValue<string>();
        return WebhookTestServer.Answer(review, verdict != "deny", "data.verdict says deny");
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // Output after the test ended is not needed.
        }
    }
}
