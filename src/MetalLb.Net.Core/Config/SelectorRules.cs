using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Selectors;

namespace MetalLb.Net.Core.Config;

/// <summary>
/// The selector checks every kind shares (docs/upstream-controller.md P5, B1, R7, §3.3): no two identical
/// selectors, no repeated value inside one match expression, no two identical match
/// expressions, and each selector converts. Also duplicate detection for plain name lists.
/// </summary>
internal static class SelectorRules
{
    /// <summary>
    /// Checks and compiles <paramref name="selectors"/> (field is the CRD field name used in the
    /// message). Returns false with every problem found appended to <paramref name="problems"/>.
    /// </summary>
    public static bool TryCompile(
        IReadOnlyList<LabelSelector>? selectors, string field, List<string> problems, out List<Selector> compiled)
    {
        compiled = [];
        int before = problems.Count;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var selector in selectors ?? [])
        {
            string text = Canonical(selector);
            if (!seen.Add(text))
                problems.Add($"duplicate definition of {field} \"{text}\"");
            var expressions = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in selector.MatchExpressions ?? [])
            {
                if (FindDuplicate(e.Values) is string value)
                    problems.Add($"duplicate definition of match expression value in label selector \"{value}\" ({field})");
                if (!expressions.Add(Canonical(e)))
                    problems.Add($"duplicate definition of match expressions \"{Canonical(e)}\" ({field})");
            }
            if (Selector.TryCreate(selector, out var s, out string error))
                compiled.Add(s);
            else
                problems.Add($"invalid {field} \"{text}\": {error}");
        }
        return problems.Count == before;
    }

    /// <summary>The first value that appears twice, or null.</summary>
    public static string? FindDuplicate(IReadOnlyList<string>? values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values ?? [])
            if (!seen.Add(v)) return v;
        return null;
    }

    /// <summary>
    /// A stable text form, also shown in messages: matchLabels sorted by key ("k=v"), then the
    /// expressions in their order with sorted values (upstream sorts values before comparing,
    /// so the order inside values does not make two selectors different).
    /// </summary>
    public static string Canonical(LabelSelector selector)
    {
        var parts = (selector.MatchLabels ?? [])
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={kv.Value}")
            .Concat((selector.MatchExpressions ?? []).Select(Canonical))
            .ToList();
        return parts.Count == 0 ? "{}" : string.Join(", ", parts);
    }

    private static string Canonical(LabelSelectorRequirement e) => e.Values is { Count: > 0 }
        ? $"{e.Key} {e.Operator} ({string.Join(",", e.Values.Order(StringComparer.Ordinal))})"
        : $"{e.Key} {e.Operator}";
}
