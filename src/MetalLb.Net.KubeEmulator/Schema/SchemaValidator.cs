using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MetalLb.Net.KubeEmulator.Http;

namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>
/// Applies a CRD's openAPIV3Schema to an object the way the real server does, in its order:
/// drop nulls of non-nullable fields, prune undeclared fields (remembering them for
/// fieldValidation=Strict/Warn), apply defaults, then validate (types, required, enum,
/// bounds, lengths, patterns, item counts) with the real error wording and field paths. CEL rules
/// (x-kubernetes-validations) are evaluated with the subset <see cref="CelRule"/> knows.
/// </summary>
internal static class SchemaValidator
{
    public static SchemaResult Apply(JsonObject obj, JsonObject schema, JsonObject? old)
    {
        var result = new SchemaResult();
        WalkObject(obj, schema, old, "", result, isRoot: true);
        CheckRules(obj, schema, old, "", result);
        return result;
    }

    private static void Walk(JsonObject parent, string key, JsonObject schema, JsonNode? old, string path, SchemaResult result)
    {
        var node = parent[key];
        if (node is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
                parent.Remove(key);
            return;
        }
        if (!CheckType(node, schema, path, result))
            return;
        switch (node)
        {
            case JsonObject o:
                WalkObject(o, schema, old as JsonObject, path, result, isRoot: false);
                break;
            case JsonArray a:
                WalkArray(a, schema, path, result);
                break;
            default:
                CheckScalar(node, schema, path, result);
                break;
        }
        CheckRules(node, schema, old, path, result);
    }

    private static void WalkObject(JsonObject obj, JsonObject schema, JsonObject? old, string path, SchemaResult result, bool isRoot)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        bool preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var key in obj.Select(kv => kv.Key).ToList())
        {
            if (isRoot && key is "apiVersion" or "kind" or "metadata")
                continue;
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (properties?[key] is JsonObject propertySchema)
                Walk(obj, key, propertySchema, old?[key], childPath, result);
            else if (additional is JsonObject additionalSchema)
                Walk(obj, key, additionalSchema, old?[key], childPath, result);
            else if (!preserve && additional?.GetValueKind() != JsonValueKind.True)
            {
                obj.Remove(key);
                result.UnknownFields.Add(childPath);
            }
        }
        if (properties is not null)
        {
            foreach (var (key, propertySchema) in properties)
            {
                if (!obj.ContainsKey(key) && propertySchema?["default"] is { } defaultValue)
                {
                    obj[key] = defaultValue.DeepClone();
                    // A defaulted object gets its own nested defaults too.
                    if (obj[key] is JsonObject && propertySchema is JsonObject ps)
                        WalkObject((JsonObject)obj[key]!, ps, null, path.Length == 0 ? key : $"{path}.{key}", result, isRoot: false);
                }
            }
        }
        if (schema["required"] is JsonArray required)
        {
            foreach (var r in required)
            {
                var name = r!.GetValue<string>();
                if (!obj.ContainsKey(name))
                    result.Errors.Add(FieldError.Required(path.Length == 0 ? name : $"{path}.{name}"));
            }
        }
        CheckCount(obj.Count, schema, "minProperties", "maxProperties", "properties", path, result);
    }

    private static void WalkArray(JsonArray array, JsonObject schema, string path, SchemaResult result)
    {
        CheckCount(array.Count, schema, "minItems", "maxItems", "items", path, result);
        if (schema["items"] is not JsonObject itemSchema)
            return;
        // Array items are walked through a one-slot holder so Walk can prune or default them.
        for (int i = 0; i < array.Count; i++)
        {
            var holder = new JsonObject { ["v"] = array[i]?.DeepClone() };
            Walk(holder, "v", itemSchema, null, $"{path}[{i}]", result);
            array[i] = holder["v"]?.DeepClone();
        }
    }

    private static bool CheckType(JsonNode node, JsonObject schema, string path, SchemaResult result)
    {
        var kind = node.GetValueKind();
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (kind is JsonValueKind.String or JsonValueKind.Number)
                return true;
            result.Errors.Add(FieldError.Invalid(path, Quote(TypeName(kind)), $"{path} in body must be of type int-or-string: {Quote(TypeName(kind))}"));
            return false;
        }
        var type = schema["type"]?.GetValue<string>();
        bool ok = type switch
        {
            null => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && IsIntegral(node),
            _ => true,
        };
        if (!ok)
            result.Errors.Add(FieldError.Invalid(path, Quote(TypeName(kind)), $"{path} in body must be of type {type}: {Quote(TypeName(kind))}"));
        return ok;
    }

    private static void CheckScalar(JsonNode node, JsonObject schema, string path, SchemaResult result)
    {
        var value = node.ToJsonString();
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
            result.Errors.Add(FieldError.NotSupported(path, value, allowed.Select(a => a?.ToJsonString() ?? "null")));
        if (node.GetValueKind() == JsonValueKind.Number)
        {
            var number = node.GetValue<double>();
            if (schema["minimum"] is { } min && number < min.GetValue<double>())
                result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be greater than or equal to {min.ToJsonString()}"));
            if (schema["maximum"] is { } max && number > max.GetValue<double>())
                result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be less than or equal to {max.ToJsonString()}"));
        }
        if (node.GetValueKind() == JsonValueKind.String)
        {
            var text = node.GetValue<string>();
            if (schema["minLength"] is { } minLength && text.Length < minLength.GetValue<int>())
                result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be at least {minLength} chars long"));
            if (schema["maxLength"] is { } maxLength && text.Length > maxLength.GetValue<int>())
                result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should be at most {maxLength} chars long"));
            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                result.Errors.Add(FieldError.Invalid(path, value, $"{path} in body should match '{pattern}'"));
        }
    }

    private static void CheckCount(int count, JsonObject schema, string minName, string maxName, string noun, string path, SchemaResult result)
    {
        if (schema[minName] is { } min && count < min.GetValue<int>())
            result.Errors.Add(FieldError.Invalid(path, count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {min} {noun}"));
        if (schema[maxName] is { } max && count > max.GetValue<int>())
            result.Errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {count}: must have at most {max} {noun}"));
    }

    /// <summary>
    /// x-kubernetes-validations through the CEL subset of <see cref="CelRule"/>. Transition
    /// rules (those naming oldSelf) run only on update, when the field had an old value.
    /// </summary>
    private static void CheckRules(JsonNode node, JsonObject schema, JsonNode? old, string path, SchemaResult result)
    {
        if (schema["x-kubernetes-validations"] is not JsonArray rules)
            return;
        foreach (var rule in rules.OfType<JsonObject>())
        {
            if (rule["rule"]?.GetValue<string>() is not { } text)
                continue;
            CelRule compiled;
            try
            {
                compiled = CelRule.Parse(text);
            }
            catch (CelException)
            {
                continue; // outside the subset: accepted unchecked (see the class comment)
            }
            if (compiled.UsesOldSelf && old is null)
                continue;
            string? failure;
            try
            {
                failure = compiled.Holds(node, old) ? null : rule["message"]?.GetValue<string>() ?? $"failed rule: {text}";
            }
            catch (CelException e)
            {
                failure = e.Message;
            }
            if (failure is not null)
                result.Errors.Add(FieldError.Invalid(path.Length == 0 ? "<root>" : path, Quote(TypeName(node.GetValueKind())), failure));
        }
    }

    private static bool IsIntegral(JsonNode node) =>
        node.AsValue().TryGetValue<long>(out _) || (node.AsValue().TryGetValue<double>(out var d) && Math.Floor(d) == d);

    private static string TypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Quote(string s) => $"\"{s}\"";
}
