using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Api.Crds;

/// <summary>
/// Reflects over a model type and builds its structural openAPIV3Schema: every node has a
/// type, objects list their properties, and the attributes in this folder add validations.
/// CLR types map the way controller-gen maps the Go types upstream uses, so the schema
/// matches upstream's (Go uint32 → integer/int32, int64 → integer/int64).
/// </summary>
[RequiresUnreferencedCode(CrdGenerator.TrimNote)]
internal static class SchemaBuilder
{
    public static SchemaNode ForRoot(Type root, CrdKindAttribute kind, CrdVersionAttribute version)
    {
        var properties = new SchemaNode
        {
            ["apiVersion"] = KnownSchemas.ApiVersion(),
            ["kind"] = KnownSchemas.Kind(),
            ["metadata"] = KnownSchemas.Metadata(),
        };
        var node = ForObject(root, properties, skip: typeof(KubeObject));
        // Upstream declares an empty status on kinds that have none, so a status subresource
        // write is kept rather than pruned; we do the same.
        if (version.StatusSubresource && !properties.ContainsKey("status"))
            properties["status"] = KnownSchemas.EmptyStatus();
        if (kind.Description is not null)
            node["description"] = kind.Description;
        return node;
    }

    private static SchemaNode ForObject(Type type, SchemaNode? properties = null, Type? skip = null)
    {
        properties ??= new SchemaNode();
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null || property.DeclaringType == skip)
                continue;
            properties[name] = ForProperty(property);
            if (property.IsDefined(typeof(RequiredAttribute)))
                required.Add(name);
        }

        var node = SchemaNode.OfType("object");
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
            node["description"] = description.Text;
        if (properties.Count > 0)
            node["properties"] = properties;
        if (required.Count > 0)
            node["required"] = required.Order(StringComparer.Ordinal).Cast<object>().ToList();
        if (type.GetCustomAttribute<MapTypeAttribute>() is { } mapType)
            node["x-kubernetes-map-type"] = mapType.Value;
        AddRules(node, type.GetCustomAttributes<CelRuleAttribute>());
        return node;
    }

    private static SchemaNode ForProperty(PropertyInfo property)
    {
        var node = ForType(property.PropertyType);
        T? Get<T>() where T : Attribute => property.GetCustomAttribute<T>();

        if (Get<DescriptionAttribute>() is { } description)
            node["description"] = description.Text;
        if (Get<DefaultAttribute>() is { } @default)
            node["default"] = ParseDefault(@default.Json);
        if (Get<FormatAttribute>() is { } format)
        {
            if (format.Value.Length == 0)
                node.Remove("format");
            else
                node["format"] = format.Value;
        }
        if (Get<MinimumAttribute>() is { } minimum)
            node["minimum"] = minimum.Value;
        if (Get<MaximumAttribute>() is { } maximum)
            node["maximum"] = maximum.Value;
        if (Get<EnumAttribute>() is { } values)
            node["enum"] = values.Values.Cast<object>().ToList();
        if (Get<MinItemsAttribute>() is { } minItems)
            node["minItems"] = (long)minItems.Value;
        if (Get<MinLengthAttribute>() is { } minLength)
            node["minLength"] = (long)minLength.Value;
        if (Get<MaxLengthAttribute>() is { } maxLength)
            node["maxLength"] = (long)maxLength.Value;
        if (Get<PatternAttribute>() is { } pattern)
            node["pattern"] = pattern.Value;
        if (Get<ListTypeAttribute>() is { } listType)
            node["x-kubernetes-list-type"] = listType.Value;
        if (Get<ListMapKeysAttribute>() is { } keys)
            node["x-kubernetes-list-map-keys"] = keys.Keys.Cast<object>().ToList();
        AddRules(node, property.GetCustomAttributes<CelRuleAttribute>());
        return node;
    }

    private static SchemaNode ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return SchemaNode.OfType("string");
        if (type == typeof(bool))
            return SchemaNode.OfType("boolean");
        if (type == typeof(int) || type == typeof(uint))
            return Integer("int32");
        if (type == typeof(long))
            return Integer("int64");
        if (type == typeof(DateTimeOffset))
            return new SchemaNode { ["type"] = "string", ["format"] = "date-time" };
        if (type == typeof(Condition))
            return KnownSchemas.Condition();
        if (type == typeof(Dictionary<string, string>))
            return new SchemaNode { ["type"] = "object", ["additionalProperties"] = SchemaNode.OfType("string") };
        if (type == typeof(Dictionary<string, object>))
            return SchemaNode.OfType("object"); // an opaque, always-empty spec (status kinds)
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            return new SchemaNode { ["type"] = "array", ["items"] = ForType(type.GetGenericArguments()[0]) };
        if (type.IsClass && type.Namespace?.StartsWith("MetalLb.Net.Api", StringComparison.Ordinal) == true)
            return ForObject(type);
        throw new NotSupportedException($"No CRD schema mapping for {type}; add one to {nameof(SchemaBuilder)}.");
    }

    private static SchemaNode Integer(string format) => new() { ["type"] = "integer", ["format"] = format };

    private static void AddRules(SchemaNode node, IEnumerable<CelRuleAttribute> rules)
    {
        var list = rules.Select(r => (object)new SchemaNode { ["rule"] = r.Rule, ["message"] = r.Message }).ToList();
        if (list.Count > 0)
            node["x-kubernetes-validations"] = list;
    }

    private static object ParseDefault(string json)
    {
        using var document = JsonDocument.Parse(json);
        var value = document.RootElement;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String => value.GetString()!,
            _ => throw new NotSupportedException($"Unsupported CRD default {json}."),
        };
    }
}
