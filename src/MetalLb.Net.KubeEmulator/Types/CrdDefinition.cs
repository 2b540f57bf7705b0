using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Types;

/// <summary>
/// A CustomResourceDefinition: checked the way the real server checks the parts we depend on,
/// given the status the real server would report once established (NamesAccepted, Established),
/// and turned into the <see cref="ResourceType"/> that serves its objects.
/// </summary>
internal static class CrdDefinition
{
    public static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var group = Meta.Str(crd, "spec", "group");
        var plural = Meta.Str(crd, "spec", "names", "plural");
        if (string.IsNullOrEmpty(group))
            errors.Add(FieldError.Required("spec.group"));
        if (string.IsNullOrEmpty(plural))
            errors.Add(FieldError.Required("spec.names.plural"));
        if (string.IsNullOrEmpty(Meta.Str(crd, "spec", "names", "kind")))
            errors.Add(FieldError.Required("spec.names.kind"));
        var scope = Meta.Str(crd, "spec", "scope");
        if (scope is not ("Namespaced" or "Cluster"))
            errors.Add(FieldError.NotSupported("spec.scope", $"\"{scope}\"", ["\"Cluster\"", "\"Namespaced\""]));
        if (Meta.At(crd, "spec", "versions") is not JsonArray { Count: > 0 } versions)
            errors.Add(FieldError.Required("spec.versions"));
        else
        {
            for (int i = 0; i < versions.Count; i++)
            {
                if (Meta.Str(versions[i], "name") is not { Length: > 0 })
                    errors.Add(FieldError.Required($"spec.versions[{i}].name"));
            }
            if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
                errors.Add(FieldError.Invalid("spec.versions", "[]", "must have exactly one version marked as storage version"));
        }
        errors.AddRange(CrdConversion.Validate(crd));
        var name = Meta.Name(crd);
        if (group is not null && plural is not null && name != $"{plural}.{group}")
            errors.Add(FieldError.Invalid("metadata.name", $"\"{name}\"", "must be spec.names.plural+\".\"+spec.group"));
        return errors;
    }

    public static void SetEstablished(JsonObject crd, DateTimeOffset now)
    {
        var names = Meta.At(crd, "spec", "names")?.DeepClone() as JsonObject ?? [];
        names["singular"] ??= Meta.Str(names, "kind")?.ToLowerInvariant();
        names["listKind"] ??= Meta.Str(names, "kind") + "List";
        var storage = (Meta.At(crd, "spec", "versions") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>();
        var time = Meta.Timestamp(now);
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    public static ResourceType ToResourceType(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!;
        var served = ((JsonArray)spec["versions"]!).OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() != false).ToList();
        var schemas = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var columns = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        bool status = false;
        foreach (var v in served)
        {
            var name = v["name"]!.GetValue<string>();
            if (Meta.At(v, "schema", "openAPIV3Schema") is JsonObject schema)
                schemas[name] = (JsonObject)schema.DeepClone();
            if (v["additionalPrinterColumns"] is JsonArray cols)
                columns[name] = (JsonArray)cols.DeepClone();
            status |= Meta.At(v, "subresources", "status") is not null;
        }
        return new ResourceType
        {
            Group = spec["group"]!.GetValue<string>(),
            Versions = served.Select(v => v["name"]!.GetValue<string>()).OrderByDescending(KubeVersion.Priority).ToList(),
            Kind = names["kind"]!.GetValue<string>(),
            Plural = names["plural"]!.GetValue<string>(),
            Singular = Meta.Str(names, "singular") ?? names["kind"]!.GetValue<string>().ToLowerInvariant(),
            Namespaced = Meta.Str(spec, "scope") == "Namespaced",
            ShortNames = (names["shortNames"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [],
            Categories = (names["categories"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [],
            HasStatus = status,
            IsCustom = true,
            Schemas = schemas,
            PrinterColumns = columns,
            StorageVersion = ((JsonArray)spec["versions"]!).OfType<JsonObject>().FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>(),
            ConversionWebhook = Meta.Str(spec, "conversion", "strategy") == "Webhook" ? Meta.At(spec, "conversion", "webhook")?.DeepClone() as JsonObject : null,
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };
}
