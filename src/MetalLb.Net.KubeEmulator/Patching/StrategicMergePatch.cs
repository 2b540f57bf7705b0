using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;

namespace MetalLb.Net.KubeEmulator.Patching;

/// <summary>
/// Strategic merge patch for built-in types: a JSON merge patch where lists with a merge key are
/// merged item by item, plus the directives kubectl sends: "$patch": "delete" / "replace",
/// "$setElementOrder/field", "$deleteFromPrimitiveList/field" and "$retainKeys".
/// </summary>
internal static class StrategicMergePatch
{
    private const string SetOrder = "$setElementOrder/";
    private const string DeleteFromPrimitive = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonObject patch, string kind) =>
        MergeObject(original, patch, kind, "") ?? [];

    private static JsonObject? MergeObject(JsonNode? original, JsonObject patch, string kind, string path)
    {
        switch (Directive(patch))
        {
            case "delete": return null;
            case "replace": return WithoutDirectives(patch);
        }
        var result = original is JsonObject o ? (JsonObject)o.DeepClone() : [];
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(n => n?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
                result.Remove(key);
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                if (key.StartsWith(DeleteFromPrimitive, StringComparison.Ordinal) && value is JsonArray gone
                    && result[key[DeleteFromPrimitive.Length..]] is JsonArray list)
                {
                    foreach (var item in list.Where(i => gone.Any(g => JsonNode.DeepEquals(g, i))).ToList())
                        list.Remove(item);
                }
                continue;
            }
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            result[key] = value switch
            {
                null => null,
                JsonObject child => MergeObject(result[key], child, kind, childPath),
                JsonArray items => MergeList(result[key] as JsonArray, items, kind, childPath),
                _ => value.DeepClone(),
            };
            if (value is null || result[key] is null)
                result.Remove(key);
        }
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetOrder.Length..];
                var childPath = path.Length == 0 ? field : $"{path}.{field}";
                if (result[field] is JsonArray list)
                    result[field] = Reorder(list, order, StrategicMergeKeys.MergeKey(kind, childPath));
            }
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, string kind, string path)
    {
        var mergeKey = StrategicMergeKeys.MergeKey(kind, path);
        if (patch.Any(i => i is JsonObject o && Directive(o) == "replace"))
            return new JsonArray(patch.Where(i => !(i is JsonObject o && Directive(o) == "replace")).Select(i => i?.DeepClone()).ToArray());
        if (mergeKey is null)
        {
            if (!StrategicMergeKeys.IsMergedPrimitiveList(path))
                return (JsonArray)patch.DeepClone();
            var union = original is null ? [] : (JsonArray)original.DeepClone();
            foreach (var item in patch)
            {
                if (!union.Any(u => JsonNode.DeepEquals(u, item)))
                    union.Add(item?.DeepClone());
            }
            return union;
        }
        var result = original is null ? [] : (JsonArray)original.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
                throw ApiException.BadRequest($"{path}: items of a list merged by \"{mergeKey}\" must be objects");
            var existing = result.FirstOrDefault(r => r is JsonObject ro && JsonNode.DeepEquals(ro[mergeKey], patchItem[mergeKey]));
            if (Directive(patchItem) == "delete")
            {
                if (existing is not null)
                    result.Remove(existing);
                continue;
            }
            if (existing is null)
                result.Add(WithoutDirectives(patchItem));
            else
            {
                int at = result.IndexOf(existing);
                result.RemoveAt(at);
                result.Insert(at, MergeObject(existing, patchItem, kind, path));
            }
        }
        return result;
    }

    /// <summary>$setElementOrder: items named in the order list come first, in that order.</summary>
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        int Rank(JsonNode? item)
        {
            for (int i = 0; i < order.Count; i++)
            {
                var wanted = mergeKey is null ? order[i] : order[i]?[mergeKey];
                var have = mergeKey is null ? item : item?[mergeKey];
                if (JsonNode.DeepEquals(wanted, have))
                    return i;
            }
            return int.MaxValue;
        }
        var sorted = list.Select((item, index) => (item, index)).OrderBy(p => Rank(p.item)).ThenBy(p => p.index)
            .Select(p => p.item?.DeepClone()).ToArray();
        return new JsonArray(sorted);
    }

    private static string? Directive(JsonObject o) => o["$patch"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject WithoutDirectives(JsonObject o)
    {
        var copy = (JsonObject)o.DeepClone();
        copy.Remove("$patch");
        return copy;
    }
}
