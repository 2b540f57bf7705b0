using System.Text.Json.Serialization;

namespace MetalLb.Net.Kube.Rest;

/// <summary>Source-generated JSON for the client's own wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeStatus))]
[JsonSerializable(typeof(GenericObject))]
[JsonSerializable(typeof(DeleteOptions))]
internal sealed partial class KubeJsonContext : JsonSerializerContext
{
}
