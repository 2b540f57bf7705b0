using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>The real server's checks of a CRD's spec.conversion (apiextensions validation).</summary>
internal static class CrdConversion
{
    public static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        if (Meta.At(crd, "spec", "conversion") is not JsonObject conversion)
            return errors;
        var strategy = Meta.Str(conversion, "strategy");
        if (strategy is not ("None" or "Webhook"))
        {
            errors.Add(FieldError.NotSupported("spec.conversion.strategy", $"\"{strategy}\"", ["\"None\"", "\"Webhook\""]));
            return errors;
        }
        var webhook = conversion["webhook"] as JsonObject;
        if (strategy == "None")
        {
            if (webhook is not null)
                errors.Add(FieldError.Forbidden("spec.conversion.webhook", "should not be set when strategy is not set to Webhook"));
            return errors;
        }
        if (webhook is null)
        {
            errors.Add(new FieldError("spec.conversion.webhook", "FieldValueRequired", "Required value: required when strategy is set to Webhook"));
            return errors;
        }
        var versions = (webhook["conversionReviewVersions"] as JsonArray)?.Select(v => v?.ToString() ?? "").ToList() ?? [];
        if (versions.Count == 0)
            errors.Add(FieldError.Required("spec.conversion.webhook.conversionReviewVersions"));
        else if (!versions.Any(v => v is "v1" or "v1beta1"))
            errors.Add(FieldError.Invalid("spec.conversion.webhook.conversionReviewVersions", $"[]string{{{string.Join(", ", versions.Select(v => $"\"{v}\""))}}}", "must include at least one of v1, v1beta1"));
        if (webhook["clientConfig"] is not JsonObject client)
            errors.Add(FieldError.Required("spec.conversion.webhook.clientConfig"));
        else if ((client["url"] is null) == (client["service"] is null))
            errors.Add(new FieldError("spec.conversion.webhook.clientConfig", "FieldValueRequired", "Required value: exactly one of url or service is required"));
        return errors;
    }
}
