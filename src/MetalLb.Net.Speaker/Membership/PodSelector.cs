namespace MetalLb.Net.Speaker.Membership;

/// <summary>
/// The --ml-labels selector in Kubernetes' string form, equality-based terms only
/// (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, comma-separated, all must hold),
/// which is what upstream's manifests and chart pass.
/// </summary>
public sealed class PodSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _terms = [];

    private PodSelector(string text) => Text = text;

    public string Text { get; }

    public static PodSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var selector = new PodSelector(text);
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int ne = raw.IndexOf("!=", StringComparison.Ordinal);
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (ne > 0)
            {
                string key = raw[..ne].Trim(), value = raw[(ne + 2)..].Trim();
                selector._terms.Add(l => !l.TryGetValue(key, out var v) || v != value);
            }
            else if (eq > 0)
            {
                string key = raw[..eq].Trim(), value = raw[(eq + (raw[eq..].StartsWith("==", StringComparison.Ordinal) ? 2 : 1))..].Trim();
                selector._terms.Add(l => l.TryGetValue(key, out var v) && v == value);
            }
            else if (raw.StartsWith('!'))
            {
                string key = raw[1..].Trim();
                selector._terms.Add(l => !l.ContainsKey(key));
            }
            else if (raw.Contains(' ', StringComparison.Ordinal) || raw.Contains('(', StringComparison.Ordinal))
            {
                throw new ArgumentException($"--ml-labels '{text}': only equality terms (k=v, k!=v, k, !k) are supported, not '{raw}'");
            }
            else
            {
                selector._terms.Add(l => l.ContainsKey(raw));
            }
        }
        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        var l = labels ?? new Dictionary<string, string>();
        return _terms.TrueForAll(t => t(l));
    }

    public override string ToString() => Text;
}
