namespace MetalLb.Net.Api.Crds;

/// <summary>
/// The API version a root model type serves, and how the API server treats it. Exactly one
/// version of a CRD may be the storage version; the generator refuses anything else.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CrdVersionAttribute(string name) : Attribute
{
    /// <summary>"v1beta1", "v1beta2".</summary>
    public string Name { get; } = name;

    public bool Served { get; init; } = true;

    public bool Storage { get; init; } = true;

    /// <summary>kubectl prints <see cref="DeprecationWarning"/> when the version is used.</summary>
    public bool Deprecated { get; init; }

    public string? DeprecationWarning { get; init; }

    /// <summary>
    /// Every metallb.io kind has a status subresource upstream, even where status is empty,
    /// so status writes never bump metadata.generation.
    /// </summary>
    public bool StatusSubresource { get; init; } = true;
}
