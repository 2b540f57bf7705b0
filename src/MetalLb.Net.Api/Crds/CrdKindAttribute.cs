namespace MetalLb.Net.Api.Crds;

/// <summary>
/// Marks a root model type as one version of a CustomResourceDefinition in the metallb.io group.
/// Several types may carry the same <see cref="Kind"/> (BGPPeer v1beta1 and v1beta2); the
/// generator merges them into one CRD, so the names must agree.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CrdKindAttribute(string kind, string plural, string singular) : Attribute
{
    public string Kind { get; } = kind;
    public string Plural { get; } = plural;
    public string Singular { get; } = singular;

    /// <summary>"Namespaced" (every metallb.io kind) or "Cluster".</summary>
    public string Scope { get; init; } = "Namespaced";

    /// <summary>kubectl short names; upstream declares none for metallb.io kinds.</summary>
    public string[] ShortNames { get; init; } = [];

    /// <summary>Describes the object as a whole (the schema's top-level description).</summary>
    public string? Description { get; init; }
}
