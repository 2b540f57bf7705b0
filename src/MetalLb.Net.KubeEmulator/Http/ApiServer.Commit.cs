using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Store;
using MetalLb.Net.KubeEmulator.Types;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";

    private void CreateInternal(ResourceType type, string version, JsonObject body)
    {
        lock (Store.Gate)
            Create(new WriteContext(type, version, null, "Strict", DryRun: false), body);
    }

    /// <summary>
    /// A create as the real registry does it: server-owned metadata set (uid, creationTimestamp,
    /// generation 1, a name from generateName), status dropped where /status owns it, the
    /// type's defaulting and validation, then the commit. Caller holds the store's gate.
    /// </summary>
    private JsonObject Create(WriteContext w, JsonObject obj)
    {
        var meta = Meta.Metadata(obj);
        if (Meta.Str(meta, "name") is not { Length: > 0 } && Meta.Str(w.Preview, "metadata", "name") is { Length: > 0 } previewed)
            meta["name"] = previewed;
        if (Meta.Str(meta, "name") is not { Length: > 0 })
        {
            if (Meta.Str(meta, "generateName") is not { Length: > 0 } prefix)
                throw ApiException.Invalid(w.Type, "", [FieldError.Required("metadata.name")]);
            do
                meta["name"] = prefix + RandomNumberGenerator.GetString(NameChars, 5);
            while (Store.Get(w.Type.Key, w.Namespace, Meta.Name(obj)) is not null);
        }
        var name = Meta.Name(obj);
        if (NameRules.Check(w.Type, name) is { } nameError)
            throw ApiException.Invalid(w.Type, name, [nameError]);
        if (w.Type.Namespaced)
        {
            meta["namespace"] = w.Namespace;
            if (Store.Get("namespaces", null, w.Namespace!) is null)
                throw ApiException.NotFound(Registry.FindByKey("namespaces")!, w.Namespace!);
        }
        else
            meta.Remove("namespace");
        if (Store.Get(w.Type.Key, w.Namespace, name) is not null)
            throw ApiException.AlreadyExists(w.Type, name);
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("managedFields");
        meta["uid"] = Meta.Str(w.Preview, "metadata", "uid") ?? Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Meta.Str(w.Preview, "metadata", "creationTimestamp") ?? Meta.Timestamp(Now);
        meta["generation"] = 1L;
        obj["apiVersion"] = w.ApiVersion;
        obj["kind"] = w.Type.Kind;
        if (w.Type.HasStatus && (w.Type.IsCustom || w.Type.Kind == "Service"))
            obj.Remove("status");
        TypeRules(w, obj, null);
        if (w.DryRun)
        {
            if (w.Type.Key == "services")
                ServiceDefaults.UndoDryRun(obj, null, Allocator);
            return obj;
        }
        var stored = Store.Commit(w.Type.Key, WatchEventType.Added, w.ToStorage?.Invoke(obj) ?? obj, null);
        AfterCommit(w.Type, stored, null);
        return stored;
    }

    /// <summary>
    /// An update (PUT, or the result of a patch): identity and server-owned metadata kept from
    /// the old object, status or the rest kept depending on the subresource, generation bumped
    /// when the spec changes, no-op writes not committed (no new resourceVersion, like the real
    /// server), and a terminating object whose last finalizer went is deleted.
    /// </summary>
    private JsonObject Update(WriteContext w, JsonObject obj, JsonObject old, string? subresource)
    {
        if (subresource == "status")
        {
            var onlyStatus = (JsonObject)old.DeepClone();
            onlyStatus["status"] = obj["status"]?.DeepClone();
            obj = onlyStatus;
        }
        else if (w.Type.HasStatus)
            obj["status"] = old["status"]?.DeepClone();
        if (obj["status"] is null)
            obj.Remove("status");
        var meta = Meta.Metadata(obj);
        var oldMeta = (JsonObject)old["metadata"]!;
        foreach (var field in (string[])["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion", "generateName"])
        {
            meta[field] = oldMeta[field]?.DeepClone();
            if (meta[field] is null)
                meta.Remove(field);
        }
        meta.Remove("managedFields");
        obj["apiVersion"] = w.ApiVersion;
        obj["kind"] = w.Type.Kind;
        TypeRules(w, obj, Versioned(old, w));
        if (!JsonNode.DeepEquals(WithoutMetaAndStatus(obj), WithoutMetaAndStatus(old)))
            meta["generation"] = (oldMeta["generation"]?.GetValue<long>() ?? 0) + 1;
        var comparableOld = Versioned(old, w);
        if (JsonNode.DeepEquals(obj, comparableOld))
            return old;
        if (w.DryRun)
        {
            if (w.Type.Key == "services")
                ServiceDefaults.UndoDryRun(obj, old, Allocator);
            return obj;
        }
        if (Meta.IsTerminating(obj) && !Meta.HasFinalizers(obj))
            return Delete(w.Type, obj);
        var stored = Store.Commit(w.Type.Key, WatchEventType.Modified, w.ToStorage?.Invoke(obj) ?? obj, old);
        AfterCommit(w.Type, stored, old);
        return stored;
    }

    /// <summary>
    /// Delete: with finalizers the object only gets its deletionTimestamp (and lives on until an
    /// update removes the last finalizer); without, it goes, and so do the objects that depend
    /// on it (a Namespace's contents, a CRD's custom resources).
    /// </summary>
    private JsonObject Delete(ResourceType type, JsonObject old)
    {
        if (Meta.HasFinalizers(old))
        {
            if (Meta.IsTerminating(old))
                return old;
            var terminating = (JsonObject)old.DeepClone();
            Meta.Metadata(terminating)["deletionTimestamp"] = Meta.Timestamp(Now);
            Meta.Metadata(terminating)["deletionGracePeriodSeconds"] = 0;
            return Store.Commit(type.Key, WatchEventType.Modified, terminating, old);
        }
        var gone = Store.Commit(type.Key, WatchEventType.Deleted, (JsonObject)old.DeepClone(), old);
        AfterDelete(type, gone);
        return gone;
    }

    private static JsonObject WithoutMetaAndStatus(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in o)
        {
            if (key is not ("metadata" or "status" or "apiVersion" or "kind"))
                copy[key] = value?.DeepClone();
        }
        return copy;
    }

    private static JsonObject Versioned(JsonObject obj, WriteContext w)
    {
        if (Meta.Str(obj, "apiVersion") == w.ApiVersion)
            return obj;
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = w.ApiVersion;
        return copy;
    }

    private static void AddWarnings(ApiRequest r, WriteContext w)
    {
        foreach (var warning in w.Warnings)
            Microsoft.AspNetCore.Http.HeaderDictionaryExtensions.Append(r.Http.Response.Headers, "Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
    }
}
