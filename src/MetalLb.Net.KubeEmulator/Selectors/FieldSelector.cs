using System.Text.Json;
using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Selectors;

/// <summary>
/// The fieldSelector query string: "path=value", "path==value", "path!=value", comma-separated.
/// metadata.name and metadata.namespace work for every type, like the real server; other dotted
/// paths (spec.nodeName, status.phase, type, ...) are looked up in the object generically,
/// where the real server only allows a per-type list.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string[] Path, string Value, bool Equal)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
            return selector;
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int ne = raw.IndexOf("!=", StringComparison.Ordinal);
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (ne > 0)
                selector._terms.Add((raw[..ne].Trim().Split('.'), raw[(ne + 2)..].Trim(), false));
            else if (eq > 0)
            {
                var value = raw[(eq + 1)..].TrimStart('=').Trim();
                selector._terms.Add((raw[..eq].Trim().Split('.'), value, true));
            }
            else
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{raw}'");
        }
        return selector;
    }

    public bool Matches(JsonObject obj) => _terms.TrueForAll(t => (Value(obj, t.Path) == t.Value) == t.Equal);

    private static string Value(JsonObject obj, string[] path)
    {
        var node = Meta.At(obj, path);
        if (node is null)
            return "";
        return node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => node.ToJsonString(),
        };
    }
}
