using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Schema;
using MetalLb.Net.KubeEmulator.Store;
using MetalLb.Net.KubeEmulator.Types;

namespace MetalLb.Net.KubeEmulator.Http;

internal sealed partial class ApiServer
{
    /// <summary>Per-kind defaulting and validation; throws the 400/422 the real server would.</summary>
    private void TypeRules(WriteContext w, JsonObject obj, JsonObject? old)
    {
        var name = Meta.Name(obj);
        if (w.Type.IsCustom)
        {
            if (!w.Type.Schemas.TryGetValue(w.Version, out var schema))
                return;
            var result = SchemaValidator.Apply(obj, schema, old);
            if (result.UnknownFields.Count > 0)
            {
                var unknown = string.Join(", ", result.UnknownFields.Select(f => $"unknown field \"{f}\""));
                if (w.FieldValidation == "Strict")
                    throw ApiException.BadRequest($"{w.Type.Kind} in version \"{w.Version}\" cannot be handled as a {w.Type.Kind}: strict decoding error: {unknown}");
                if (w.FieldValidation == "Warn")
                    w.Warnings.AddRange(result.UnknownFields.Select(f => $"unknown field \"{f}\""));
            }
            if (result.Errors.Count > 0)
                throw ApiException.Invalid(w.Type, name, result.Errors);
            return;
        }
        switch (w.Type.Key)
        {
            case "services":
                var errors = ServiceDefaults.Apply(obj, old, Allocator);
                if (errors.Count > 0)
                    throw ApiException.Invalid(w.Type, name, errors);
                break;
            case "namespaces":
                var labels = Meta.Metadata(obj)["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = name;
                Meta.Metadata(obj)["labels"] = labels;
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] ??= new JsonObject { ["phase"] = "Active" };
                break;
            case "secrets":
                // As the real server: stringData is write-only, merged into data (base64) on write.
                if (obj["stringData"] is JsonObject plain)
                {
                    var data = obj["data"] as JsonObject ?? [];
                    foreach (var (key, value) in plain)
                        data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
                    obj["data"] = data;
                    obj.Remove("stringData");
                }
                obj["type"] ??= "Opaque";
                break;
            case "pods" when old is null:
                obj["status"] ??= new JsonObject { ["phase"] = "Pending" };
                break;
            case "apiextensions.k8s.io/customresourcedefinitions":
                var crdErrors = CrdDefinition.Validate(obj);
                if (crdErrors.Count > 0)
                    throw ApiException.Invalid(w.Type, name, crdErrors);
                if (old is null)
                    CrdDefinition.SetEstablished(obj, Now);
                else if (Meta.Str(obj, "spec", "group") != Meta.Str(old, "spec", "group"))
                    throw ApiException.Invalid(w.Type, name, [FieldError.Immutable("spec.group", obj["spec"]!["group"]!.ToJsonString())]);
                break;
        }
    }

    private void AfterCommit(ResourceType type, JsonObject stored, JsonObject? old)
    {
        if (type.Key == "apiextensions.k8s.io/customresourcedefinitions")
        {
            var served = CrdDefinition.ToResourceType(stored);
            Registry.Put(served);
        }
    }

    private void AfterDelete(ResourceType type, JsonObject gone)
    {
        switch (type.Key)
        {
            case "services":
                ServiceDefaults.Release(gone, Allocator);
                break;
            case "apiextensions.k8s.io/customresourcedefinitions":
                var key = $"{Meta.Str(gone, "spec", "group")}/{Meta.Str(gone, "spec", "names", "plural")}";
                if (Registry.FindByKey(key) is { } custom)
                {
                    foreach (var (_, obj) in Store.List(key, null).Items)
                        Store.Commit(key, WatchEventType.Deleted, (JsonObject)obj.DeepClone(), obj);
                    Registry.Remove(custom.Key);
                }
                break;
            case "namespaces":
                var ns = Meta.Name(gone);
                foreach (var t in Registry.All.Where(t => t.Namespaced))
                {
                    foreach (var (_, obj) in Store.List(t.Key, ns).Items)
                    {
                        var removed = Store.Commit(t.Key, WatchEventType.Deleted, (JsonObject)obj.DeepClone(), obj);
                        AfterDelete(t, removed);
                    }
                }
                break;
        }
        _applied.Keys.Where(k => k.StartsWith($"{type.Key}|{Meta.Namespace(gone)}|{Meta.Name(gone)}|", StringComparison.Ordinal))
            .ToList().ForEach(k => _applied.Remove(k));
    }
}
