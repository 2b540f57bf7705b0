using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Admission;

/// <summary>
/// admission.k8s.io/v1 AdmissionReview: the API server posts one with a request, the webhook
/// answers with the same envelope carrying a response whose uid is the request's.
/// </summary>
public sealed class AdmissionReview
{
    public const string V1 = "admission.k8s.io/v1";

    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("request")] public AdmissionRequest? Request { get; set; }
    [JsonPropertyName("response")] public AdmissionResponse? Response { get; set; }
}

/// <summary>The part of admission.k8s.io/v1 AdmissionRequest a validating webhook reads.</summary>
public sealed class AdmissionRequest
{
    [JsonPropertyName("uid")] public string? Uid { get; set; }
    [JsonPropertyName("kind")] public GroupVersionKind? Kind { get; set; }
    [JsonPropertyName("resource")] public GroupVersionResource? Resource { get; set; }
    [JsonPropertyName("subResource")] public string? SubResource { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    /// <summary>CREATE, UPDATE, DELETE or CONNECT.</summary>
    [JsonPropertyName("operation")] public string? Operation { get; set; }
    /// <summary>The object being written; absent for DELETE.</summary>
    [JsonPropertyName("object")] public JsonElement? Object { get; set; }
    /// <summary>The stored object, for UPDATE and DELETE.</summary>
    [JsonPropertyName("oldObject")] public JsonElement? OldObject { get; set; }
    [JsonPropertyName("dryRun")] public bool? DryRun { get; set; }
}

/// <summary>admission.k8s.io/v1 AdmissionResponse.</summary>
public sealed class AdmissionResponse
{
    [JsonPropertyName("uid")] public string Uid { get; set; } = "";
    [JsonPropertyName("allowed")] public bool Allowed { get; set; }
    [JsonPropertyName("status")] public ResponseStatus? Status { get; set; }
    [JsonPropertyName("warnings")] public List<string>? Warnings { get; set; }
}

/// <summary>The meta/v1 Status fields a webhook response carries (the API server shows the message).</summary>
public sealed class ResponseStatus
{
    /// <summary>Success or Failure (ConversionReview result).</summary>
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("code")] public int? Code { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

public sealed class GroupVersionKind
{
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
}

public sealed class GroupVersionResource
{
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("resource")] public string? Resource { get; set; }
}
