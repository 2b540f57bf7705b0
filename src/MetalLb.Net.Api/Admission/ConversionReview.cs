using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Admission;

/// <summary>
/// apiextensions.k8s.io/v1 ConversionReview (v1beta1 has the same shape): the API server posts
/// objects and the version it wants; the webhook answers with them converted, in order, or a
/// Failure result. Objects stay JSON trees so metadata passes through untouched.
/// </summary>
public sealed class ConversionReview
{
    public const string V1 = "apiextensions.k8s.io/v1";
    public const string V1Beta1 = "apiextensions.k8s.io/v1beta1";

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("request")] public ConversionRequest? Request { get; set; }
    [JsonPropertyName("response")] public ConversionResponse? Response { get; set; }
}

public sealed class ConversionRequest
{
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("desiredAPIVersion")] public string? DesiredAPIVersion { get; set; }
    [JsonPropertyName("objects")] public List<JsonNode?>? Objects { get; set; }
}

public sealed class ConversionResponse
{
    [JsonPropertyName("uid")] public string Uid { get; set; } = "";
    [JsonPropertyName("convertedObjects")] public List<JsonNode?> ConvertedObjects { get; set; } = [];
    [JsonPropertyName("result")] public ResponseStatus Result { get; set; } = new();
}
