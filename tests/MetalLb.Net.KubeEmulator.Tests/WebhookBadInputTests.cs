using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MetalLb.Net.TestKit;
using Xunit.Abstractions;

namespace MetalLb.Net.KubeEmulator.Tests;

/// <summary>
/// Webhooks that answer nonsense: seeded random and mutated AdmissionReview and
/// ConversionReview answers (bad JSON, wrong types, wrong uid, truncated, odd status codes)
/// must each end as an allowed write, a refusal, or the real server's "failed calling webhook" /
/// "conversion webhook for" error, never as an emulator crash. Also dry run and sideEffects.
/// </summary>
public sealed class WebhookBadInputTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;

    [Fact]
    public async Task Fuzzed_admission_answers_are_refusals_or_failed_calls_never_a_crash()
    {
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        var random = new Random(Seed);
        webhook.On("/validate", async (review, ctx) => await WriteAsync(ctx, Mutate(random, WebhookTestServer.Answer(review, random.Next(2) == 0, "mutated"), out var code), code));
        var options = new EmulatorOptions();
        options.WebhookServices["webhooks/webhook"] = $"127.0.0.1:{webhook.Port}";
        await using var server = await EmulatorServer.StartAsync(options);
        using var api = new RawApi(server.CreateHttpClient());
        await api.OkAsync(api.PostAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
            JsonNode.Parse(YamlJson.Convert(AdmissionFixture.ConfigMapWebhook(webhook.CaBundle)))!));

        int allowed = 0, refused = 0, failed = 0;
        for (int i = 0; i < 300; i++)
        {
            var (code, body) = await api.PostAsync("api/v1/namespaces/default/configmaps", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"cm-{i}" },
            });
            if (code == HttpStatusCode.Created)
            {
                allowed++;
                continue;
            }
            var message = body["message"]?.GetValue<string>() ?? "";
            Assert.True((int)code is >= 400 and <= 599, $"iteration {i}: HTTP {(int)code} {body.ToJsonString()}");
            Assert.Equal("Status", body["kind"]?.GetValue<string>());
            if (message.StartsWith("admission webhook \"configmaps.policy.example.com\" denied the request", StringComparison.Ordinal))
                refused++;
            else if (message.StartsWith("Internal error occurred: failed calling webhook \"configmaps.policy.example.com\": ", StringComparison.Ordinal) && (int)code == 500)
                failed++;
            else
                Assert.Fail($"iteration {i}: unexpected answer HTTP {(int)code}: {message}");
        }
        output.WriteLine($"allowed {allowed}, refused {refused}, failed calls {failed}");
        Assert.True(allowed > 0 && refused > 0 && failed > 0, $"allowed {allowed}, refused {refused}, failed {failed}: the mutations should reach every outcome");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("version")).Code);
    }

    [Fact]
    public async Task Fuzzed_conversion_answers_fail_the_read_with_the_real_message_never_a_crash()
    {
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        var random = new Random(Seed);
        bool fuzz = false;
        webhook.On("/convert", async (review, ctx) =>
        {
            var good = GadgetCrd.Convert(review);
            return fuzz ? await WriteAsync(ctx, Mutate(random, good, out var code), code) : good;
        });
        var options = new EmulatorOptions();
        options.WebhookServices["webhooks/webhook"] = $"127.0.0.1:{webhook.Port}";
        await using var server = await EmulatorServer.StartAsync(options);
        using var api = new RawApi(server.CreateHttpClient());
        await api.OkAsync(api.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", JsonNode.Parse(YamlJson.Convert(GadgetCrd.Yaml(webhook.CaBundle)))!));
        await api.OkAsync(api.PostAsync("apis/example.com/v2/namespaces/default/gadgets", JsonNode.Parse(YamlJson.Convert(GadgetCrd.V2("g1", 3)))!));
        fuzz = true;
        int converted = 0, failed = 0;
        for (int i = 0; i < 200; i++)
        {
            var (code, body) = await api.GetAsync("apis/example.com/v2/namespaces/default/gadgets/g1");
            if (code == HttpStatusCode.OK)
            {
                converted++;
                Assert.Equal("example.com/v2", body["apiVersion"]!.GetValue<string>());
                continue;
            }
            failed++;
            Assert.Equal(500, (int)code);
            var message = body["message"]?.GetValue<string>() ?? "";
            Assert.True(message.StartsWith("conversion webhook for example.com/v1, Kind=Gadget ", StringComparison.Ordinal), $"iteration {i}: {message}");
        }
        output.WriteLine($"converted {converted}, failed {failed}");
        Assert.True(failed > 0, "the mutations should break some conversions");
        fuzz = false;
        Assert.Equal("size-3", (await api.OkAsync(api.GetAsync("apis/example.com/v2/namespaces/default/gadgets/g1")))["spec"]!["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dry_run_calls_only_webhooks_without_side_effects_and_stores_nothing()
    {
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        webhook.On("/validate", AdmissionWebhookTests.VerdictFromData);
        var options = new EmulatorOptions();
        options.WebhookServices["webhooks/webhook"] = $"127.0.0.1:{webhook.Port}";
        await using var server = await EmulatorServer.StartAsync(options);
        using var api = new RawApi(server.CreateHttpClient());
        const string Configurations = "apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
        await api.OkAsync(api.PostAsync(Configurations, JsonNode.Parse(YamlJson.Convert(AdmissionFixture.ConfigMapWebhook(webhook.CaBundle, sideEffects: "Unknown")))!));
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "dry" } };

        var (code, body) = await api.PostAsync("api/v1/namespaces/default/configmaps?dryRun=All", cm);
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("admission webhook \"configmaps.policy.example.com\" does not support dry run", body["message"]!.GetValue<string>());
        Assert.Equal(0, webhook.CountOn("/validate"));

        await api.OkAsync(api.PutAsync($"{Configurations}/configmap-policy", JsonNode.Parse(YamlJson.Convert(AdmissionFixture.ConfigMapWebhook(webhook.CaBundle, sideEffects: "NoneOnDryRun")))!));
        await api.OkAsync(api.PostAsync("api/v1/namespaces/default/configmaps?dryRun=All", cm));
        var request = webhook.Received.Single().Body["request"]!;
        Assert.True(request["dryRun"]!.GetValue<bool>());
        Assert.Equal("""["All"]""", request["options"]!["dryRun"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("api/v1/namespaces/default/configmaps/dry")).Code);
    }

    /// <summary>Found by the fuzz test above: invalid UTF-8 inside a JSON string once crashed the request (500 from the emulator itself).</summary>
    [Fact]
    public async Task Invalid_utf8_in_an_answer_becomes_U_FFFD_as_in_Go()
    {
        await using var webhook = await WebhookTestServer.StartAsync(AdmissionFixture.ServiceHost);
        webhook.On("/validate", async (review, ctx) =>
        {
            var text = WebhookTestServer.Answer(review, allowed: false, "bad XX byte").ToJsonString();
            var bytes = Encoding.UTF8.GetBytes(text);
            int at = text.IndexOf("XX", StringComparison.Ordinal);
            (bytes[at], bytes[at + 1]) = (0xFF, 0xFE);
            return await WriteAsync(ctx, bytes, 200);
        });
        var options = new EmulatorOptions();
        options.WebhookServices["webhooks/webhook"] = $"127.0.0.1:{webhook.Port}";
        await using var server = await EmulatorServer.StartAsync(options);
        using var api = new RawApi(server.CreateHttpClient());
        await api.OkAsync(api.PostAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
            JsonNode.Parse(YamlJson.Convert(AdmissionFixture.ConfigMapWebhook(webhook.CaBundle)))!));
        var (code, body) = await api.PostAsync("api/v1/namespaces/default/configmaps", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "utf8" },
        });
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("admission webhook \"configmaps.policy.example.com\" denied the request: bad \uFFFD\uFFFD byte", body["message"]!.GetValue<string>());
    }

    /// <summary>A valid answer, or one mutated: bytes flipped, cut, types swapped, uid changed, odd status codes.</summary>
    private static byte[] Mutate(Random random, JsonObject valid, out int code)
    {
        code = 200;
        var text = valid.ToJsonString();
        switch (random.Next(10))
        {
            case 0:
                return Encoding.UTF8.GetBytes(text);
            case 1:
                var bytes = Encoding.UTF8.GetBytes(text);
                for (int n = random.Next(1, 4); n > 0; n--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                return Encoding.UTF8.GetBytes(text[..random.Next(text.Length)]);
            case 3:
                var raw = new byte[random.Next(0, 64)];
                random.NextBytes(raw);
                return raw;
            case 4:
                var wrongUid = (JsonObject)valid.DeepClone();
                wrongUid["response"]!["uid"] = Guid.NewGuid().ToString();
                return Encoding.UTF8.GetBytes(wrongUid.ToJsonString());
            case 5:
                var wrongTypes = (JsonObject)valid.DeepClone();
                var response = (JsonObject)wrongTypes["response"]!;
                var key = response.Select(kv => kv.Key).ElementAt(random.Next(response.Count));
                response[key] = random.Next(3) switch { 0 => "yes", 1 => new JsonArray(1, 2), _ => 42 };
                return Encoding.UTF8.GetBytes(wrongTypes.ToJsonString());
            case 6:
                code = random.Next(2) == 0 ? 500 : 404;
                return random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"webhook said no"}""");
            case 7:
                return [];
            case 8:
                return Encoding.UTF8.GetBytes("""["not", "an", "object"]""");
            default:
                var noKind = (JsonObject)valid.DeepClone();
                noKind.Remove(random.Next(2) == 0 ? "kind" : "apiVersion");
                return Encoding.UTF8.GetBytes(noKind.ToJsonString());
        }
    }

    private static async Task<JsonObject?> WriteAsync(HttpContext ctx, byte[] body, int code)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.WriteAsync(body);
        return null;
    }
}
