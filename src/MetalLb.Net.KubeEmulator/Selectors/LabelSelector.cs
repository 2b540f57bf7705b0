using System.Text.Json.Nodes;
using MetalLb.Net.KubeEmulator.Http;
using MetalLb.Net.KubeEmulator.Store;

namespace MetalLb.Net.KubeEmulator.Selectors;

/// <summary>
/// The labelSelector query string: comma-separated requirements "k=v", "k==v", "k!=v",
/// "k in (a,b)", "k notin (a,b)", "k" (exists) and "!k" (does not exist), all of which must hold.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<JsonObject, bool>> _requirements = [];

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
            return selector;
        foreach (var part in SplitTopLevel(text))
        {
            var req = part.Trim();
            if (req.Length == 0)
                continue;
            selector._requirements.Add(ParseRequirement(req));
        }
        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        if (_requirements.Count == 0)
            return true;
        var labels = Meta.Labels(obj);
        return _requirements.TrueForAll(r => r(labels));
    }

    private static Func<JsonObject, bool> ParseRequirement(string req)
    {
        if (req.StartsWith('!'))
        {
            var key = req[1..].Trim();
            return l => !l.ContainsKey(key);
        }
        int setStart = req.IndexOf('(', StringComparison.Ordinal);
        if (setStart > 0 && req.EndsWith(')'))
        {
            var head = req[..setStart].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 2 || (head[1] != "in" && head[1] != "notin"))
                throw ApiException.BadRequest($"unable to parse requirement: {req}");
            var values = req[(setStart + 1)..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var key = head[0];
            return head[1] == "in"
                ? l => Label(l, key) is { } v && values.Contains(v)
                : l => Label(l, key) is not { } v || !values.Contains(v);
        }
        foreach (var op in (string[])["!=", "==", "="])
        {
            int at = req.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = req[..at].Trim();
                var value = req[(at + op.Length)..].Trim();
                return op == "!=" ? l => Label(l, key) != value : l => Label(l, key) == value;
            }
        }
        return l => l.ContainsKey(req);
    }

    private static string? Label(JsonObject labels, string key) => Meta.Str(labels, key);

    /// <summary>Splits on commas that are not inside "( ... )".</summary>
    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
                depth++;
            else if (text[i] == ')')
                depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
