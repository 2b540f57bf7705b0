namespace MetalLb.Net.Api.Crds;

/// <summary>
/// Schemas for Kubernetes' own types, which the API server defines and we only repeat:
/// TypeMeta, ObjectMeta and meta/v1 Condition. Condition lives in Meta/ and stays free of CRD
/// attributes, so its validations (the same on every Kubernetes CRD) are spelled out here.
/// </summary>
internal static class KnownSchemas
{
    public static SchemaNode ApiVersion() => Described("string",
        "The versioned schema of this object, group/version (metallb.io/v1beta1). The API server converts known versions to the stored one.");

    public static SchemaNode Kind() => Described("string",
        "The REST resource this object is, in CamelCase. Set by clients, never changed.");

    // The API server validates metadata itself; a CRD may only say it is an object.
    public static SchemaNode Metadata() => SchemaNode.OfType("object");

    public static SchemaNode EmptyStatus() => Described("object",
        "Reserved: MetalLB records nothing here for this kind.");

    public static SchemaNode Condition()
    {
        var properties = new SchemaNode
        {
            ["lastTransitionTime"] = With(Described("string", "When the status last changed."), "format", "date-time"),
            ["message"] = With(Described("string", "Human-readable details; may be empty."), "maxLength", 32768L),
            ["observedGeneration"] = With(With(Described("integer", "The metadata.generation this condition was computed from."),
                "format", "int64"), "minimum", 0L),
            ["reason"] = With(With(With(Described("string", "A CamelCase identifier for the last transition."),
                "maxLength", 1024L), "minLength", 1L), "pattern", "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"),
            ["status"] = With(Described("string", "True, False or Unknown."), "enum", new List<object> { "True", "False", "Unknown" }),
            ["type"] = With(With(Described("string", "The condition type, CamelCase or domain/CamelCase."), "maxLength", 316L),
                "pattern", @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"),
        };
        var node = Described("object", "One aspect of the object's current state.");
        node["properties"] = properties;
        node["required"] = new List<object> { "lastTransitionTime", "message", "reason", "status", "type" };
        return node;
    }

    private static SchemaNode Described(string type, string description)
    {
        var node = SchemaNode.OfType(type);
        node["description"] = description;
        return node;
    }

    private static SchemaNode With(SchemaNode node, string key, object value)
    {
        node[key] = value;
        return node;
    }
}
