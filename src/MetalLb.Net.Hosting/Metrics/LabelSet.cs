using System.Text;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>A measurement's tags as sorted, sanitised Prometheus labels; equal sets compare equal.</summary>
internal sealed class LabelSet : IEquatable<LabelSet>
{
    private readonly KeyValuePair<string, string>[] _pairs;
    private readonly string _key;

    private LabelSet(KeyValuePair<string, string>[] pairs)
    {
        _pairs = pairs;
        var b = new StringBuilder();
        AppendTo(b);
        _key = b.ToString();
    }

    public int Count => _pairs.Length;

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (int i = 0; i < tags.Length; i++)
            pairs[i] = new(PrometheusNames.Sanitize(tags[i].Key, allowColon: false), Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new LabelSet(pairs);
    }

    public void AppendTo(StringBuilder text)
    {
        for (int i = 0; i < _pairs.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(_pairs[i].Key).Append("=\"").Append(InstrumentState.Escape(_pairs[i].Value, quote: true)).Append('"');
        }
    }

    public bool Equals(LabelSet? other) => other is not null && _key == other._key;
    public override bool Equals(object? obj) => Equals(obj as LabelSet);
    public override int GetHashCode() => _key.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => _key;
}
