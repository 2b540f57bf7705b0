using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>What a create or update needs to know about its request (also used for the emulator's own writes).</summary>
internal sealed record WriteContext(ResourceType Type, string Version, string? Namespace, string FieldValidation, bool DryRun)
{
    /// <summary>Warnings for the response's Warning headers (unknown fields under fieldValidation=Warn).</summary>
    public List<string> Warnings { get; } = [];

    public string ApiVersion => Type.ApiVersion(Version);

    /// <summary>
    /// The object admission judged in a dry-run preview of this write: a create reuses its
    /// name, uid and creationTimestamp, so what is stored is what the webhooks saw.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject? Preview { get; init; }

    /// <summary>Turns the object into what is stored (the storage version, for conversion webhooks).</summary>
    public Func<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>? ToStorage { get; init; }
}
