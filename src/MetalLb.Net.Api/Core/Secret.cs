using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Core;

/// <summary>core/v1 Secret: BGP passwords (type kubernetes.io/basic-auth, key "password").</summary>
public sealed class Secret : Meta.KubeObject
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    /// <summary>Base64-encoded values.</summary>
    [JsonPropertyName("data")] public Dictionary<string, string>? Data { get; set; }
    /// <summary>Plain values; the API server merges them into data on write.</summary>
    [JsonPropertyName("stringData")] public Dictionary<string, string>? StringData { get; set; }
}
