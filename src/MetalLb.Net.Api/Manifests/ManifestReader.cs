using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MetalLb.Net.Api.Manifests;

/// <summary>
/// Reads multi-document YAML (or JSON, which is YAML) into typed objects. Every problem names
/// the file and line and says what to fix; a bad document never hides the good ones.
/// Kinds outside the project's registry are skipped with a warning; unknown metallb.io kinds
/// or versions are errors, because a typo there silently changes what MetalLB does.
/// </summary>
public static class ManifestReader
{
    public static ManifestReadResult Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new ManifestReadResult();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var docStart))
            {
                var converter = new YamlToJson(parser);
                int line = (int)parser.Current!.Start.Line;
                var node = converter.ReadNode("$");
                parser.Consume<DocumentEnd>();
                if (node is null) continue;   // an empty document ("---" twice, comments only)
                ReadDocument(node, converter.Lines, file, line, result);
            }
        }
        catch (YamlException e)
        {
            result.Errors.Add(new ManifestProblem(file, (int)e.Start.Line, $"malformed YAML: {TrimYamlMessage(e)}"));
        }
        catch (InvalidOperationException e) when (e.Source == "YamlDotNet")
        {
            // YamlDotNet's scanner throws this, not a YamlException, for some broken flow
            // collections ("{a[-b: c}"; found by ManifestFuzzTests). Still the author's YAML at
            // fault, so it is reported like any other syntax error, at the last line parsed.
            var at = Math.Max(1, (int)(parser.Current?.Start.Line ?? 1));
            result.Errors.Add(new ManifestProblem(file, at, "malformed YAML: a flow mapping or sequence ({...} or [...]) is broken near here"));
        }
        return result;
    }

    /// <summary>
    /// One object already parsed as JSON (an admission webhook's request.object), read by the
    /// same rules as a manifest document: nulls dropped, empty list items and unknown metallb.io
    /// fields reported, errors worded for the author. The node is modified (nulls removed).
    /// </summary>
    public static ManifestReadResult ReadJson(JsonNode node, string source)
    {
        ArgumentNullException.ThrowIfNull(node);
        var result = new ManifestReadResult();
        ReadDocument(node, [], source, 0, result);
        return result;
    }

    private static void ReadDocument(JsonNode node, Dictionary<string, int> lines, string file, int line, ManifestReadResult result)
    {
        if (node is not JsonObject obj)
        {
            result.Errors.Add(new(file, line, "a manifest document must be a mapping with apiVersion, kind and metadata"));
            return;
        }
        string? apiVersion = (obj["apiVersion"] as JsonValue)?.TryGetValue<string>(out var av) == true ? av : null;
        string? kind = (obj["kind"] as JsonValue)?.TryGetValue<string>(out var k) == true ? k : null;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            result.Errors.Add(new(file, line, $"missing {(string.IsNullOrEmpty(apiVersion) ? "apiVersion" : "kind")}: every object needs apiVersion and kind (e.g. apiVersion: metallb.io/v1beta1, kind: IPAddressPool)"));
            return;
        }
        if (kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            for (int i = 0; i < items.Count; i++)
                if (items[i] is { } item)
                    ReadDocument(item, Shift(lines, $"$.items[{i}]"), file, lines.GetValueOrDefault($"$.items[{i}]", line), result);
            return;
        }
        var info = KindRegistry.Find(apiVersion, kind);
        if (info is null)
        {
            KindProblems.Report(apiVersion, kind, obj, file, line, result);
            return;
        }
        // A field written as null ("spec:" with nothing under it) is a field not set, as the API
        // server's decoder reads it; kept, it would replace the type's default with null and
        // every reader after us would have to guard it (found by ManifestFuzzTests).
        DropNullFields(obj);
        // An empty list item ("- " with nothing after it) is a slip, not a value: say where.
        if (FirstNullItem(obj, "$") is { } empty)
        {
            result.Errors.Add(new(file, LineOf(lines, empty, line), $"{kind}: {empty.TrimStart('$').TrimStart('.')} is an empty list item; remove the \"-\" or give it a value"));
            return;
        }
        KubeObject? value;
        try
        {
            value = obj.Deserialize(info.TypeInfo) as KubeObject;
        }
        catch (JsonException e)
        {
            result.Errors.Add(new(file, LineOf(lines, e.Path, line), $"{kind}: {JsonErrors.Describe(e)}"));
            return;
        }
        if (value is null) return;
        // A misspelt field in a MetalLB spec (autoassign, adresses) would be dropped silently and
        // change what MetalLB does, so manifests are read strictly there, as kubectl validates by
        // default. The types themselves stay lenient: the API client must survive new fields.
        if (KindRegistry.GroupOf(apiVersion) == KindRegistry.MetalLbGroup
            && UnknownFields.First(obj["spec"], JsonSerializer.SerializeToNode(value, info.TypeInfo)?["spec"], "$.spec") is { } unknown)
        {
            result.Errors.Add(new(file, LineOf(lines, unknown, line),
                $"{kind}: unknown field \"{unknown.TrimStart('$').TrimStart('.')}\" (check the spelling; field names are case-sensitive)"));
            return;
        }
        if (string.IsNullOrEmpty(value.Metadata.Name))
        {
            result.Errors.Add(new(file, line, $"{kind}: metadata.name is required"));
            return;
        }
        result.Objects.Add(new ManifestObject(value, info, file, line));
    }

    private static void DropNullFields(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
                o.Remove(key);
            foreach (var (_, child) in o)
                DropNullFields(child);
        }
        else if (node is JsonArray a)
            foreach (var child in a)
                DropNullFields(child);
    }

    private static string? FirstNullItem(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                    if (FirstNullItem(child, YamlToJson.Child(path, key)) is { } found)
                        return found;
                return null;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is null)
                        return $"{path}[{i}]";
                    else if (FirstNullItem(a[i], $"{path}[{i}]") is { } found)
                        return found;
                return null;
            default:
                return null;
        }
    }

    /// <summary>The line of the deepest known path that the error path starts with.</summary>
    private static int LineOf(Dictionary<string, int> lines, string? path, int fallback)
    {
        for (var p = path; !string.IsNullOrEmpty(p); p = Parent(p))
            if (lines.TryGetValue(p, out int l)) return l;
        return fallback;
    }

    private static string? Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? null : path[..cut];
    }

    /// <summary>Re-roots the line map at a List item, so its paths look like a document's.</summary>
    private static Dictionary<string, int> Shift(Dictionary<string, int> lines, string root) =>
        lines.Where(kv => kv.Key.StartsWith(root, StringComparison.Ordinal))
             .ToDictionary(kv => "$" + kv.Key[root.Length..], kv => kv.Value, StringComparer.Ordinal);

    private static string TrimYamlMessage(YamlException e)
    {
        var msg = e.Message;
        int close = msg.IndexOf("): ", StringComparison.Ordinal);
        return close >= 0 && msg.StartsWith('(') ? msg[(close + 3)..] : msg;
    }
}

/// <summary>What one read produced: objects, errors (exit 2) and warnings (ignored kinds).</summary>
public sealed class ManifestReadResult
{
    public List<ManifestObject> Objects { get; } = [];
    public List<ManifestProblem> Errors { get; } = [];
    public List<ManifestProblem> Warnings { get; } = [];

    public void Add(ManifestReadResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Objects.AddRange(other.Objects);
        Errors.AddRange(other.Errors);
        Warnings.AddRange(other.Warnings);
    }
}
