using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>
/// One served resource (group + plural), with every version it is served at. Objects are kept
/// once per resource, whatever version they were written at, the way the real server keeps one
/// storage version: reading through another version only changes apiVersion (CRD conversion
/// strategy None).
/// </summary>
internal sealed class ResourceType
{
    public required string Group { get; init; }
    public required IReadOnlyList<string> Versions { get; init; }
    public required string Kind { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>status is written only through /status; the main resource ignores it.</summary>
    public bool HasStatus { get; init; }

    /// <summary>True for types defined by a CustomResourceDefinition.</summary>
    public bool IsCustom { get; init; }

    /// <summary>openAPIV3Schema per version (custom resources only).</summary>
    public IReadOnlyDictionary<string, JsonObject> Schemas { get; init; } =
        new Dictionary<string, JsonObject>(StringComparer.Ordinal);

    /// <summary>additionalPrinterColumns per version (custom resources only).</summary>
    public IReadOnlyDictionary<string, JsonArray> PrinterColumns { get; init; } =
        new Dictionary<string, JsonArray>(StringComparer.Ordinal);

    /// <summary>The version objects are kept at (custom resources with a conversion webhook only).</summary>
    public string? StorageVersion { get; init; }

    /// <summary>spec.conversion.webhook of a CRD whose strategy is Webhook; null for strategy None.</summary>
    public JsonObject? ConversionWebhook { get; init; }

    /// <summary>"group/plural", the key objects are stored under.</summary>
    public string Key => Group.Length == 0 ? Plural : $"{Group}/{Plural}";

    public string ListKind => Kind + "List";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    /// <summary>The "plural.group" form the real server uses in messages (services, ipaddresspools.metallb.io).</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The "Kind.group" form used in 422 messages (Service, IPAddressPool.metallb.io).</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
