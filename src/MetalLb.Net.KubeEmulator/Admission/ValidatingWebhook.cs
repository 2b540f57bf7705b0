using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// One entry of a ValidatingWebhookConfiguration's webhooks[], with the v1 defaults the real
/// server applies on write (failurePolicy Fail, matchPolicy Equivalent, timeoutSeconds 10,
/// empty selectors select everything). <see cref="ConfigError"/> is set when the entry is too
/// malformed to call; the dispatcher then treats it as a failed call under its failurePolicy.
/// </summary>
internal sealed record ValidatingWebhook(
    string Name,
    string ConfigurationName,
    IReadOnlyList<JsonObject> Rules,
    bool FailOpen,
    bool MatchEquivalent,
    JsonNode? NamespaceSelector,
    JsonNode? ObjectSelector,
    string? SideEffects,
    int TimeoutSeconds,
    IReadOnlyList<string> AdmissionReviewVersions,
    WebhookClientConfig? ClientConfig,
    string? ConfigError)
{
    public static IEnumerable<ValidatingWebhook> FromConfiguration(JsonObject configuration)
    {
        var configName = (configuration["metadata"] as JsonObject)?["name"] is JsonValue n && n.TryGetValue<string>(out var cn) ? cn : "";
        if (configuration["webhooks"] is not JsonArray hooks)
            yield break;
        foreach (var h in hooks.OfType<JsonObject>())
            yield return Parse(h, configName);
    }

    private static ValidatingWebhook Parse(JsonObject h, string configName)
    {
        string? error = null;
        var name = Str(h, "name") ?? "";
        var rules = (h["rules"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        int timeout = 10;
        if (h["timeoutSeconds"] is JsonValue t && (!t.TryGetValue(out timeout) || timeout is < 1 or > 30))
        {
            error = "timeoutSeconds must be between 1 and 30 seconds";
            timeout = 10;
        }
        var versions = (h["admissionReviewVersions"] as JsonArray)?.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "").ToList() ?? [];
        WebhookClientConfig? client = null;
        if (!WebhookClientConfig.TryParse(h["clientConfig"], out var parsed, out var clientError))
            error ??= clientError;
        else
            client = parsed;
        return new ValidatingWebhook(
            name,
            configName,
            rules,
            FailOpen: Str(h, "failurePolicy") == "Ignore",
            MatchEquivalent: Str(h, "matchPolicy") != "Exact",
            h["namespaceSelector"],
            h["objectSelector"],
            Str(h, "sideEffects"),
            timeout,
            versions,
            client,
            error);
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
