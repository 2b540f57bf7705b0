using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MetalLb.Net.Api.Manifests;

/// <summary>
/// Turns one YAML document into a JsonNode and remembers the line of every JSON path, so a
/// type error found later by System.Text.Json can be reported at its line. Plain scalars get
/// JSON types the way Kubernetes' YAML reader gives them (null, true/false, integers, floats);
/// quoted scalars are always strings.
/// </summary>
internal sealed class YamlToJson(IParser parser)
{
    private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

    /// <summary>JSON path ("$.spec.addresses[0]") → 1-based line.</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public JsonNode? ReadNode(string path)
    {
        var start = parser.Current!.Start;
        Lines[path] = (int)start.Line;
        switch (parser.Current)
        {
            case Scalar scalar:
                parser.MoveNext();
                var value = ScalarValue(scalar);
                Remember(scalar.Anchor, value);
                return value;
            case AnchorAlias alias:
                parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    throw new YamlException(start, start, $"unknown alias *{alias.Value.Value}");
                return target?.DeepClone();
            case SequenceStart seq:
            {
                parser.MoveNext();
                var array = new JsonArray();
                int i = 0;
                while (parser.Current is not SequenceEnd)
                    array.Add(ReadNode($"{path}[{i++}]"));
                parser.MoveNext();
                Remember(seq.Anchor, array);
                return array;
            }
            case MappingStart map:
            {
                parser.MoveNext();
                var obj = new JsonObject();
                while (parser.Current is not MappingEnd)
                {
                    var keyMark = parser.Current!.Start;
                    if (parser.Current is not Scalar key)
                        throw new YamlException(keyMark, keyMark, "mapping keys must be plain strings");
                    parser.MoveNext();
                    if (obj.ContainsKey(key.Value))
                        throw new YamlException(keyMark, keyMark, $"key \"{key.Value}\" appears twice in the same mapping");
                    obj[key.Value] = ReadNode(Child(path, key.Value));
                    Lines[Child(path, key.Value)] = (int)keyMark.Line;
                }
                parser.MoveNext();
                Remember(map.Anchor, obj);
                return obj;
            }
            default:
                throw new YamlException(start, start, $"unexpected YAML element {parser.Current?.GetType().Name}");
        }
    }

    /// <summary>The path System.Text.Json reports: $.a.b for identifiers, $['a.b/c'] otherwise.</summary>
    public static string Child(string path, string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && key.Length > 0 ? $"{path}.{key}" : $"{path}['{key}']";

    private void Remember(AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
    }

    private static JsonNode? ScalarValue(Scalar scalar)
    {
        string v = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(v);
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
            && (v.Length == 1 || v.TrimStart('-', '+')[0] != '0'))
            return JsonValue.Create(l);
        if (v.Any(char.IsAsciiDigit) && !v.Contains(':', StringComparison.Ordinal)
            && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && !double.IsInfinity(d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
