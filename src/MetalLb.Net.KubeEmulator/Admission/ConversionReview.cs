using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// CRD conversion through a webhook (spec.conversion.strategy: Webhook), as the real
/// apiextensions server does it: one apiextensions.k8s.io/v1 ConversionReview per call with
/// every object that is not yet at the desired version, the answer checked (kind, uid, result,
/// count, groupVersion, kind, name, namespace and uid of each object), and of the returned
/// metadata only labels and annotations kept. Failures read
/// "conversion webhook for group/version, Kind=Kind failed: ...".
/// </summary>
internal sealed class ConversionReview(WebhookTransport transport, Func<WebhookClientConfig, (string Host, int Port)?> resolve)
{
    /// <summary>The real server's webhook client gives conversion calls 30 seconds.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<List<JsonObject>> ConvertAsync(ResourceType type, JsonObject webhook, IReadOnlyList<JsonObject> objects, string desiredVersion, CancellationToken cancellationToken)
    {
        var desired = type.ApiVersion(desiredVersion);
        var results = objects.ToList();
        var pending = Enumerable.Range(0, objects.Count).Where(i => Meta.Str(objects[i], "apiVersion") != desired).ToList();
        if (pending.Count == 0)
            return results;
        var from = $"{Meta.Str(objects[pending[0]], "apiVersion")}, Kind={type.Kind}";
        try
        {
            var converted = await CallAsync(webhook, pending.Select(i => objects[i]).ToList(), desired, from, cancellationToken);
            for (int k = 0; k < pending.Count; k++)
                results[pending[k]] = converted[k];
            return results;
        }
        catch (WebhookCallException e) when (!e.Message.StartsWith("conversion webhook for ", StringComparison.Ordinal))
        {
            throw new WebhookCallException($"conversion webhook for {from} failed: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A value of the wrong JSON type somewhere in the answer.
            throw new WebhookCallException($"conversion webhook for {from} failed: {e.Message}");
        }
    }

    private async Task<List<JsonObject>> CallAsync(JsonObject webhook, List<JsonObject> originals, string desired, string from, CancellationToken ct)
    {
        if (!WebhookClientConfig.TryParse(webhook["clientConfig"], out var config, out var configError))
            throw new WebhookCallException(configError);
        var versions = (webhook["conversionReviewVersions"] as JsonArray)?.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "").ToList() ?? [];
        var reviewVersion = versions.FirstOrDefault(v => v is "v1" or "v1beta1")
            ?? throw new WebhookCallException("no supported conversion review versions");
        var uid = Guid.NewGuid().ToString();
        var request = new JsonObject
        {
            ["kind"] = "ConversionReview",
            ["apiVersion"] = $"apiextensions.k8s.io/{reviewVersion}",
            ["request"] = new JsonObject
            {
                ["uid"] = uid,
                ["desiredAPIVersion"] = desired,
                ["objects"] = new JsonArray(originals.Select(o => (JsonNode?)o.DeepClone()).ToArray()),
            },
        };
        var url = $"{config.BaseUrl}?timeout={(int)Timeout.TotalSeconds}s";
        (string, int)? dialTo;
        try
        {
            dialTo = resolve(config);
        }
        catch (WebhookCallException e)
        {
            throw new WebhookCallException($"Post \"{url}\": {e.Message}");
        }
        var answer = await transport.PostAsync(url, dialTo, config.CaBundlePem, request, Timeout, ct);
        var converted = Objects(answer, reviewVersion, uid);
        if (converted.Count != originals.Count)
            throw new WebhookCallException($"conversion webhook for {from} returned {converted.Count} objects, expected {originals.Count}");
        var results = new List<JsonObject>(converted.Count);
        for (int i = 0; i < converted.Count; i++)
        {
            string Invalid(string why) => $"conversion webhook for {from} returned invalid converted object at index {i}: {why}";
            if (converted[i] is not JsonObject c)
                throw new WebhookCallException(Invalid("the converted object is not a JSON object"));
            if (Meta.Str(c, "apiVersion") != desired)
                throw new WebhookCallException(Invalid($"invalid groupVersion (expected {desired}, received {Meta.Str(c, "apiVersion")})"));
            var original = originals[i];
            if (Meta.Str(c, "kind") != Meta.Str(original, "kind"))
                throw new WebhookCallException(Invalid($"invalid kind (expected {Meta.Str(original, "kind")}, received {Meta.Str(c, "kind")})"));
            foreach (var (field, label) in (ReadOnlySpan<(string, string)>)[("name", "name"), ("namespace", "namespace"), ("uid", "UID")])
            {
                if (Meta.Str(c, "metadata", field) != Meta.Str(original, "metadata", field))
                    throw new WebhookCallException(Invalid($"must have the same {label}: {Meta.Str(original, "metadata", field)} != {Meta.Str(c, "metadata", field)}"));
            }
            results.Add(RestoreMetadata(original, (JsonObject)c.DeepClone(), Invalid));
        }
        return results;
    }

    private static List<JsonNode?> Objects(JsonObject answer, string reviewVersion, string uid)
    {
        if (reviewVersion == "v1" && (Meta.Str(answer, "apiVersion") != "apiextensions.k8s.io/v1" || Meta.Str(answer, "kind") != "ConversionReview"))
            throw new WebhookCallException($"expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got {Meta.Str(answer, "apiVersion")}, Kind={Meta.Str(answer, "kind")}");
        if (answer["response"] is not JsonObject response)
            throw new WebhookCallException("no response provided");
        if (reviewVersion == "v1" && Meta.Str(response, "uid") != uid)
            throw new WebhookCallException($"expected response.uid=\"{uid}\", got \"{Meta.Str(response, "uid")}\"");
        var status = Meta.Str(response, "result", "status") ?? "";
        if (status != "Success")
        {
            if (Meta.Str(response, "result", "message") is { Length: > 0 } message)
                throw new WebhookCallException(message);
            throw new WebhookCallException($"response.result.status was '{status}', not 'Success'");
        }
        return response["convertedObjects"] is JsonArray list ? [.. list] : [];
    }

    /// <summary>The original metadata back, with the converter's labels and annotations (all it may change).</summary>
    private static JsonObject RestoreMetadata(JsonObject original, JsonObject converted, Func<string, string> invalid)
    {
        var meta = (original["metadata"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        var changed = converted["metadata"] as JsonObject;
        foreach (var field in (string[])["labels", "annotations"])
        {
            var value = changed?[field];
            if (value is null)
            {
                meta.Remove(field);
                continue;
            }
            if (value is not JsonObject map || map.Any(kv => kv.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
                throw new WebhookCallException(invalid($"invalid metadata.{field} in converted object"));
            meta[field] = map.DeepClone();
        }
        converted["metadata"] = meta;
        return converted;
    }
}
