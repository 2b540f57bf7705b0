using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// admission.k8s.io/v1 AdmissionReview: the request the real server sends, and the checks it
/// makes on the answer before believing it (request.VerifyAdmissionResponse).
/// </summary>
internal static class AdmissionReview
{
    /// <summary>The first AdmissionReview version the webhook accepts that we speak, or null.</summary>
    public static string? PickVersion(IReadOnlyList<string> accepted) =>
        accepted.FirstOrDefault(v => v is "v1" or "v1beta1");

    public static JsonObject Request(string reviewVersion, string uid, AdmissionAttributes a, string invocationVersion, JsonObject? obj, JsonObject? old)
    {
        var t = a.Type;
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = Gvk(t, invocationVersion),
            ["resource"] = Gvr(t, invocationVersion),
        };
        if (a.Subresource is { Length: > 0 } sub)
            request["subResource"] = sub;
        request["requestKind"] = Gvk(t, a.Version);
        request["requestResource"] = Gvr(t, a.Version);
        if (a.Subresource is { Length: > 0 } requestSub)
            request["requestSubResource"] = requestSub;
        if (a.Name.Length > 0)
            request["name"] = a.Name;
        if (a.Namespace is { Length: > 0 } ns)
            request["namespace"] = ns;
        request["operation"] = a.Operation;
        request["userInfo"] = new JsonObject
        {
            ["username"] = a.User.Name,
            ["groups"] = new JsonArray(a.User.Groups.Select(g => (JsonNode?)g).ToArray()),
        };
        request["object"] = obj?.DeepClone();
        request["oldObject"] = old?.DeepClone();
        request["dryRun"] = a.DryRun;
        request["options"] = a.Options.DeepClone();
        return new JsonObject
        {
            ["kind"] = "AdmissionReview",
            ["apiVersion"] = $"admission.k8s.io/{reviewVersion}",
            ["request"] = request,
        };
    }

    /// <summary>
    /// The verdict in a webhook's answer, after the real server's checks (v1: right apiVersion
    /// and kind, a response, the same uid; validating webhooks may not patch). A malformed
    /// answer throws <see cref="WebhookCallException"/>, which the caller treats as a failed call.
    /// </summary>
    public static (bool Allowed, JsonObject? Status, IReadOnlyList<string> Warnings) Verdict(JsonObject review, string reviewVersion, string uid)
    {
        var apiVersion = Str(review, "apiVersion");
        var kind = Str(review, "kind");
        if (string.IsNullOrEmpty(kind))
            throw new WebhookCallException($"Object 'Kind' is missing in '{Truncate(review.ToJsonString())}'");
        bool strict = reviewVersion == "v1";
        if (strict && (apiVersion != "admission.k8s.io/v1" || kind != "AdmissionReview"))
            throw new WebhookCallException($"expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got {apiVersion}, Kind={kind}");
        if (review["response"] is null)
            throw new WebhookCallException("webhook response was absent");
        if (review["response"] is not JsonObject response)
            throw Unmarshal(review["response"], "AdmissionReview.response", "v1.AdmissionResponse");
        var gotUid = response["uid"] switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            var other => throw Unmarshal(other, "AdmissionResponse.response.uid", "types.UID"),
        };
        if (strict && gotUid != uid)
            throw new WebhookCallException($"expected response.uid=\"{uid}\", got \"{gotUid}\"");
        bool allowed = response["allowed"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            var other => throw Unmarshal(other, "AdmissionResponse.response.allowed", "bool"),
        };
        if (strict && response["patch"] is JsonValue patch && patch.TryGetValue<string>(out var p) && p.Length > 0)
            throw new WebhookCallException("validating webhook may not return response.patch");
        if (strict && response["patchType"] is not null)
            throw new WebhookCallException("validating webhook may not return response.patchType");
        var status = response["status"] switch
        {
            null => null,
            JsonObject s => s,
            var other => throw Unmarshal(other, "AdmissionResponse.response.status", "v1.Status"),
        };
        var warnings = new List<string>();
        if (response["warnings"] is JsonArray list)
        {
            foreach (var w in list)
            {
                if (w is not JsonValue wv || !wv.TryGetValue<string>(out var text))
                    throw Unmarshal(w, "AdmissionResponse.response.warnings", "string");
                warnings.Add(text);
            }
        }
        else if (response["warnings"] is { } notList)
            throw Unmarshal(notList, "AdmissionResponse.response.warnings", "[]string");
        return (allowed, status, warnings);
    }

    private static WebhookCallException Unmarshal(JsonNode? node, string field, string goType) =>
        new($"json: cannot unmarshal {JsonType(node)} into Go struct field {field} of type {goType}");

    private static string JsonType(JsonNode? node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "string",
            System.Text.Json.JsonValueKind.Number => "number",
            _ => "bool",
        },
        _ => "null",
    };

    private static JsonObject Gvk(ResourceType t, string version) =>
        new() { ["group"] = t.Group, ["version"] = version, ["kind"] = t.Kind };

    private static JsonObject Gvr(ResourceType t, string version) =>
        new() { ["group"] = t.Group, ["version"] = version, ["resource"] = t.Plural };

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "...";
}
