using Microsoft.AspNetCore.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

/// <summary>A request for a resource, its path already resolved to a served type.</summary>
internal sealed record ApiRequest(ResourceType Type, string Version, string? Namespace, string? Name, string? Subresource, HttpContext Http)
{
    public string ApiVersion => Type.ApiVersion(Version);

    public string? Query(string key) => Http.Request.Query.TryGetValue(key, out var v) ? v.ToString() : null;

    public bool QueryFlag(string key) => Query(key) is "true" or "1";

    public bool WantsTable => Http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public bool DryRun => Query("dryRun") is { Length: > 0 };

    /// <summary>Strict, Warn (the server's default) or Ignore.</summary>
    public string FieldValidation => Query("fieldValidation") is { Length: > 0 } v ? v : "Warn";
}
