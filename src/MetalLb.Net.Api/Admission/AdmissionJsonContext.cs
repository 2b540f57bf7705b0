using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Admission;

/// <summary>Source-generated JSON for the webhook envelopes; nulls left out, as Go's omitempty.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdmissionReview))]
[JsonSerializable(typeof(ConversionReview))]
public sealed partial class AdmissionJsonContext : JsonSerializerContext
{
}
