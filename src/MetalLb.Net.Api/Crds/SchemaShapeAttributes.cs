// How a property is described and merged, as opposed to what values it accepts
// (ValidationAttributes.cs). Grouped for the same reason: each is one line of data.
namespace MetalLb.Net.Api.Crds;

/// <summary>
/// The schema description. Reflection cannot see XML docs (the Api project does not ship a
/// documentation file), so the text users read in <c>kubectl explain</c> lives here.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, Inherited = false)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The value the API server fills in when the property is absent, as JSON ("179", "true").</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DefaultAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>
/// Overrides the OpenAPI format the generator derives from the CLR type. An empty string
/// emits no format: upstream's Go <c>int</c> and <c>uint16</c> fields have none, while our
/// model uses <c>int</c> for them.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class FormatAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

/// <summary>x-kubernetes-list-type: "atomic" (replaced as a whole by apply) or "map".</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListTypeAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

/// <summary>x-kubernetes-list-map-keys for a list of type "map".</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>x-kubernetes-map-type on an object: "atomic" means server-side apply replaces it whole.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MapTypeAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}
