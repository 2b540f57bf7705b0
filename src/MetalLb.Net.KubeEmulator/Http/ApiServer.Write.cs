using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Patching;
using MetalLb.Net.KubeEmulator.Selectors;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    private async Task CreateAsync(ApiRequest r)
    {
        if (r.Subresource is not null)
            throw ApiException.MethodNotAllowed("create is not allowed on a subresource");
        RefuseProtobuf(r);
        var body = await ReadBodyAsync(r);
        CheckKind(r, body);
        var bodyNs = Meta.Namespace(body);
        if (r.Type.Namespaced && bodyNs is { Length: > 0 } && bodyNs != r.Namespace)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        if (r.Type.Namespaced && r.Namespace is null)
            throw NotFoundError();
        var (created, _) = await AdmittedWriteAsync(r, (_, w) => (Create(w, (JsonObject)body.DeepClone()), 201), "CREATE");
        await WriteObjectAsync(r, 201, created);
    }

    private async Task UpdateAsync(ApiRequest r)
    {
        RefuseProtobuf(r);
        var body = await ReadBodyAsync(r);
        CheckKind(r, body);
        if (Meta.Name(body) is { Length: > 0 } bodyName && bodyName != r.Name)
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({r.Name})");
        var (result, _) = await AdmittedWriteAsync(r, (old, w) =>
        {
            if (old is null)
                throw ApiException.NotFound(r.Type, r.Name!);
            if (Meta.Str(body, "metadata", "resourceVersion") is { Length: > 0 } rv && rv != Meta.Str(old, "metadata", "resourceVersion"))
                throw ApiException.Conflict(r.Type, r.Name!);
            return (Update(w, (JsonObject)body.DeepClone(), old, r.Subresource), 200);
        }, "UPDATE");
        await WriteObjectAsync(r, 200, result);
    }

    private async Task PatchAsync(ApiRequest r)
    {
        var contentType = r.Http.Request.ContentType?.Split(';')[0].Trim() ?? "";
        RefuseProtobuf(r);
        var patch = await JsonNode.ParseAsync(r.Http.Request.Body, cancellationToken: r.Http.RequestAborted);
        var (result, code) = await AdmittedWriteAsync(r, (old, w) =>
        {
            if (old is null)
            {
                if (contentType != "application/apply-patch+yaml")
                    throw ApiException.NotFound(r.Type, r.Name!);
                var applied = patch as JsonObject ?? throw ApiException.BadRequest("apply body must be an object");
                CheckKind(r, applied);
                var created = Create(w, (JsonObject)applied.DeepClone());
                if (!w.DryRun)
                    RememberApplied(r, applied);
                return (created, 201);
            }
            var current = Versioned(old, w);
            JsonObject patched = contentType switch
            {
                "application/merge-patch+json" => JsonMergePatch.Apply(current, patch) as JsonObject ?? throw ApiException.BadRequest("merge patch must be an object"),
                "application/json-patch+json" => JsonPatch.Apply(current, patch) as JsonObject ?? throw ApiException.BadRequest("json patch must leave an object"),
                "application/strategic-merge-patch+json" when r.Type.IsCustom =>
                    throw new ApiException(415, "UnsupportedMediaType", "strategic merge patch is not supported for custom resources; use a JSON merge patch"),
                "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(current, patch as JsonObject ?? throw ApiException.BadRequest("strategic merge patch must be an object"), r.Type.Kind),
                "application/apply-patch+yaml" => ApplyPatch.Apply(current, CheckApplied(r, patch), _applied.GetValueOrDefault(AppliedKey(r)), r.Type.Kind),
                _ => throw ApiException.UnsupportedMediaType(contentType),
            };
            if (Meta.Str(patched, "metadata", "resourceVersion") is { Length: > 0 } rv && rv != Meta.Str(old, "metadata", "resourceVersion"))
                throw ApiException.Conflict(r.Type, r.Name!);
            var updated = Update(w, patched, old, r.Subresource);
            if (contentType == "application/apply-patch+yaml" && !w.DryRun)
                RememberApplied(r, (JsonObject)patch!);
            return (updated, 200);
        }, "CREATE", "UPDATE");
        await WriteObjectAsync(r, code, result);
    }

    private async Task DeleteAsync(ApiRequest r)
    {
        // A typed client's protobuf DeleteOptions: the emulator reads preconditions from JSON only.
        JsonObject? options = !IsProtobuf(r) && (r.Http.Request.ContentLength is > 0 || r.Http.Request.Headers.TransferEncoding.Count > 0)
            ? await JsonNode.ParseAsync(r.Http.Request.Body, cancellationToken: r.Http.RequestAborted) as JsonObject
            : null;
        JsonObject DeleteChecked(JsonObject old)
        {
            if (Meta.Str(options, "preconditions", "resourceVersion") is { } rv && rv != Meta.Str(old, "metadata", "resourceVersion"))
                throw ApiException.Conflict(r.Type, r.Name!, $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({Meta.Str(old, "metadata", "resourceVersion")}). The object might have been modified");
            if (Meta.Str(options, "preconditions", "uid") is { } uid && uid != Meta.Str(old, "metadata", "uid"))
                throw ApiException.Conflict(r.Type, r.Name!, $"the UID in the precondition ({uid}) does not match the UID in record ({Meta.Str(old, "metadata", "uid")}). The object might have been deleted and then recreated");
            return r.DryRun ? old : Delete(r.Type, old);
        }
        var stored = Store.Get(r.Type.Key, r.Namespace, r.Name!) ?? throw ApiException.NotFound(r.Type, r.Name!);
        var result = await AdmittedDeleteAsync(r, options, stored, DeleteChecked);
        await WriteObjectAsync(r, 200, result);
    }

    private async Task DeleteCollectionAsync(ApiRequest r)
    {
        var labels = LabelSelector.Parse(r.Query("labelSelector"));
        var fields = FieldSelector.Parse(r.Query("fieldSelector"));
        var deleted = new List<JsonObject>();
        foreach (var (_, obj) in Store.List(r.Type.Key, r.Namespace).Items)
        {
            if (!labels.Matches(obj) || !fields.Matches(obj))
                continue;
            try
            {
                deleted.Add(await AdmittedDeleteAsync(r, null, obj, old => r.DryRun ? old : Delete(r.Type, old)));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone meanwhile (another delete, or a Namespace's cascade): nothing left to delete.
            }
        }
        var revision = Store.Revision;
        await WriteListAsync(r, deleted, revision, null, 0);
    }

    /// <summary>
    /// The emulator reads JSON, and protobuf only for the kinds KubeProtobuf decodes. Other
    /// typed kubectl commands (create deployment) send protobuf; say so plainly instead of
    /// failing to parse it as JSON.
    /// </summary>
    private static void RefuseProtobuf(ApiRequest r)
    {
        if (IsProtobuf(r) && !(KubeProtobuf.Supports(r.Type) && r.Http.Request.Method is "POST" or "PUT"))
            throw new ApiException(415, "UnsupportedMediaType", $"the emulator accepts JSON bodies only, not {r.Http.Request.ContentType}");
    }

    private static void CheckKind(ApiRequest r, JsonObject body)
    {
        if (Meta.Str(body, "kind") is { Length: > 0 } kind && kind != r.Type.Kind)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({r.Type.Kind})");
        if (Meta.Str(body, "apiVersion") is { Length: > 0 } av && av != r.ApiVersion)
            throw ApiException.BadRequest($"the API version in the data ({av}) does not match the expected API version ({r.ApiVersion})");
    }

    private static JsonObject CheckApplied(ApiRequest r, JsonNode? patch)
    {
        var applied = patch as JsonObject ?? throw ApiException.BadRequest("apply body must be an object");
        CheckKind(r, applied);
        if (r.Query("fieldManager") is not { Length: > 0 })
            throw ApiException.BadRequest("PATCH requests with apply (application/apply-patch+yaml) must set a fieldManager");
        return applied;
    }

    private string AppliedKey(ApiRequest r) => $"{r.Type.Key}|{r.Namespace}|{r.Name}|{r.Query("fieldManager")}";

    private void RememberApplied(ApiRequest r, JsonObject applied)
    {
        if (!r.DryRun)
            _applied[AppliedKey(r)] = (JsonObject)applied.DeepClone();
    }
}
