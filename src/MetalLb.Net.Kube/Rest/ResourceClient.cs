using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Kube.Rest;

/// <summary>
/// Typed REST for one resource: get, list (paged), create, update, delete, patch (merge, JSON,
/// strategic, server-side apply) and the status subresource. Every failure is a
/// <see cref="KubeApiException"/> carrying the server's Status.
/// </summary>
public sealed partial class ResourceClient<T> where T : KubeObject
{
    private readonly KubeClient _client;

    internal ResourceClient(KubeClient client, ResourceInfo resource, JsonTypeInfo<T> typeInfo)
    {
        _client = client;
        Resource = resource;
        TypeInfo = typeInfo;
    }

    public ResourceInfo Resource { get; }

    public JsonTypeInfo<T> TypeInfo { get; }

    public async Task<T> GetAsync(string? ns, string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return await SendForObjectAsync(HttpMethod.Get, Path(ns, name), null, ct).ConfigureAwait(false);
    }

    /// <summary>One page; pass the returned Continue back in <see cref="ListOptions.Continue"/> for the next.</summary>
    public async Task<KubeList<T>> ListAsync(string? ns = null, ListOptions? options = null, CancellationToken ct = default)
    {
        string path = Resource.PathFor(ns) + QueryString.For(options, watch: false);
        using HttpResponseMessage response = await _client.SendAsync(HttpMethod.Get, path, null, false, ct).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return WireJson.ReadList(body, TypeInfo);
    }

    /// <summary>
    /// Every page of a list, followed through continue tokens. The result carries the
    /// resourceVersion of the first page: the snapshot all pages belong to.
    /// </summary>
    public async Task<KubeList<T>> ListAllAsync(string? ns = null, ListOptions? options = null, CancellationToken ct = default)
    {
        options ??= new ListOptions();
        var items = new List<T>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            KubeList<T> page = await ListAsync(ns, options with { Continue = next }, ct).ConfigureAwait(false);
            items.AddRange(page.Items);
            resourceVersion ??= page.ResourceVersion;
            next = string.IsNullOrEmpty(page.Continue) ? null : page.Continue;
        }
        while (next is not null);
        return new KubeList<T>(items, resourceVersion, null);
    }

    public Task<T> CreateAsync(T obj, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return SendForObjectAsync(HttpMethod.Post, Resource.PathFor(NamespaceOf(obj)), Serialize(obj), ct);
    }

    /// <summary>PUT with the object's resourceVersion: 409 Conflict if someone wrote in between.</summary>
    public Task<T> UpdateAsync(T obj, CancellationToken ct = default) => Put(obj, null, ct);

    /// <summary>PUT to the status subresource: only status changes, spec edits are ignored by the server.</summary>
    public Task<T> UpdateStatusAsync(T obj, CancellationToken ct = default) => Put(obj, "status", ct);

    /// <summary>Deletes; returns false when the object was already gone.</summary>
    public async Task<bool> DeleteAsync(string? ns, string name, DeleteOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        HttpContent? body = options is null ? null : JsonContent(JsonSerializer.SerializeToUtf8Bytes(options, KubeJsonContext.Default.DeleteOptions));
        try
        {
            using HttpResponseMessage response = await _client.SendAsync(HttpMethod.Delete, Path(ns, name), body, false, ct).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (KubeClient.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>
    /// PATCH with the given flavour. For <see cref="PatchType.Apply"/> a field manager is
    /// required and <paramref name="force"/> takes over fields other managers own.
    /// </summary>
    public Task<T> PatchAsync(string? ns, string name, PatchType type, string patch,
        string? fieldManager = null, bool force = false, string? subresource = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        if (type == PatchType.Apply && string.IsNullOrEmpty(fieldManager))
            throw new ArgumentException("server-side apply needs a field manager", nameof(fieldManager));
        var query = new List<string>();
        if (fieldManager is not null)
            query.Add("fieldManager=" + Uri.EscapeDataString(fieldManager));
        if (force)
            query.Add("force=true");
        string path = Path(ns, name, subresource) + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var content = new StringContent(patch, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypeOf(type));
        return SendForObjectAsync(HttpMethod.Patch, path, content, ct);
    }

    /// <summary>Server-side apply of a whole object (its apiVersion and kind are filled in if missing).</summary>
    public Task<T> ApplyAsync(T obj, string fieldManager, bool force = false, string? subresource = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        obj.ApiVersion ??= Resource.ApiVersion;
        obj.Kind ??= Resource.Kind;
        string json = JsonSerializer.Serialize(obj, TypeInfo);
        return PatchAsync(NamespaceOf(obj), obj.Metadata.Name ?? "", PatchType.Apply, json, fieldManager, force, subresource, ct);
    }

    private Task<T> Put(T obj, string? subresource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(obj.Metadata.Name);
        return SendForObjectAsync(HttpMethod.Put, Path(NamespaceOf(obj), obj.Metadata.Name, subresource), Serialize(obj), ct);
    }

    private async Task<T> SendForObjectAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using HttpResponseMessage response = await _client.SendAsync(method, path, content, false, ct).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, TypeInfo)
            ?? throw new KubeApiException($"{method} {path}: empty response body");
    }

    private HttpContent Serialize(T obj)
    {
        obj.ApiVersion ??= Resource.ApiVersion;
        obj.Kind ??= Resource.Kind;
        return JsonContent(JsonSerializer.SerializeToUtf8Bytes(obj, TypeInfo));
    }

    private static ByteArrayContent JsonContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private string Path(string? ns, string name, string? subresource = null) =>
        Resource.PathFor(Resource.Namespaced ? ns ?? _client.DefaultNamespace : null, name, subresource);

    private string? NamespaceOf(T obj) =>
        Resource.Namespaced ? obj.Metadata.Namespace ?? _client.DefaultNamespace : null;

    private static string MediaTypeOf(PatchType type) => type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Apply => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
