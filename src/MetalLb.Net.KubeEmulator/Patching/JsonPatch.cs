using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;

namespace MetalLb.Net.KubeEmulator.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) with RFC 6901 pointers.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
            throw ApiException.BadRequest("json patch must be an array of operations");
        var doc = target.DeepClone();
        foreach (var opNode in ops)
        {
            if (opNode is not JsonObject op)
                throw ApiException.BadRequest("json patch operation must be an object");
            var kind = op["op"]?.GetValue<string>();
            var path = op["path"]?.GetValue<string>() ?? throw ApiException.BadRequest("json patch operation has no path");
            switch (kind)
            {
                case "add": Add(ref doc, path, op["value"]?.DeepClone()); break;
                case "remove": Remove(doc, path); break;
                case "replace": Remove(doc, path); Add(ref doc, path, op["value"]?.DeepClone()); break;
                case "move":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw ApiException.BadRequest("move needs from");
                    var value = Get(doc, from)?.DeepClone();
                    Remove(doc, from);
                    Add(ref doc, path, value);
                    break;
                }
                case "copy":
                {
                    var from = op["from"]?.GetValue<string>() ?? throw ApiException.BadRequest("copy needs from");
                    Add(ref doc, path, Get(doc, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    break;
                default:
                    throw ApiException.BadRequest($"unexpected json patch operation \"{kind}\"");
            }
        }
        return doc;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? []
        : !pointer.StartsWith('/') ? throw ApiException.BadRequest($"json patch path \"{pointer}\" is not a JSON pointer: it must start with /")
        : pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Get(JsonNode doc, string pointer)
    {
        JsonNode? node = doc;
        foreach (var t in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(t, out var v) => v,
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
            throw ApiException.BadRequest("json patch path must not be the whole document");
        var parentPointer = pointer[..pointer.LastIndexOf('/')];
        return (Get(doc, parentPointer) ?? throw Missing(pointer), tokens[^1]);
    }

    private static void Add(ref JsonNode doc, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            doc = value ?? throw ApiException.BadRequest("cannot replace the document with null");
            return;
        }
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a when last == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count: a.Insert(i, value); break;
            default: throw Missing(pointer);
        }
    }

    private static void Remove(JsonNode doc, string pointer)
    {
        var (parent, last) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last): o.Remove(last); break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count: a.RemoveAt(i); break;
            default: throw Missing(pointer);
        }
    }

    private static ApiException Missing(string pointer) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\"");
}
