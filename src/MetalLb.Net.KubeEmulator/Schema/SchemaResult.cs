using MetalLb.Net.KubeEmulator.Http;

namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>What checking an object against its CRD schema found: 422 causes and pruned fields.</summary>
internal sealed class SchemaResult
{
    public List<FieldError> Errors { get; } = [];

    /// <summary>Paths of fields the schema does not declare (already removed from the object).</summary>
    public List<string> UnknownFields { get; } = [];
}
