using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>What a create or update needs to know about its request (also used for the emulator's own writes).</summary>
internal sealed record WriteContext(ResourceType Type, string Version, string? Namespace, string FieldValidation, bool DryRun)
{
    /// <summary>Warnings for the response's Warning headers (unknown fields under fieldValidation=Warn).</summary>
    public List<string> Warnings { get; } = [];

    public string ApiVersion => Type.ApiVersion(Version);
}
