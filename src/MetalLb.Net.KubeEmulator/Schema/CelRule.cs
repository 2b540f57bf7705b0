using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Schema;

/// <summary>
/// The subset of CEL that x-kubernetes-validations in our CRDs use: self and oldSelf, field
/// selection, has(), size(), duration(...).getSeconds()/getMilliseconds() (totals, as in
/// cel-go), int/string/bool/null literals, ! &amp;&amp; || == != &lt; &lt;= &gt; &gt;= + - * / %.
/// A rule outside the subset raises CelException when parsed; the validator then accepts
/// the object unchecked rather than refusing what the real server would accept.
/// </summary>
internal sealed class CelRule
{
    private static readonly ConcurrentDictionary<string, CelRule> Cache = new(StringComparer.Ordinal);
    private readonly Func<object?, object?, object?> _eval;

    private CelRule(Func<object?, object?, object?> eval, bool usesOldSelf)
    {
        _eval = eval;
        UsesOldSelf = usesOldSelf;
    }

    /// <summary>A transition rule: only checked on update, when there is an old value.</summary>
    public bool UsesOldSelf { get; }

    public static CelRule Parse(string rule) => Cache.GetOrAdd(rule, r =>
    {
        var parser = new CelParser(r);
        var eval = parser.ParseAll();
        return new CelRule(eval, r.Contains("oldSelf", StringComparison.Ordinal));
    });

    public bool Holds(JsonNode? self, JsonNode? oldSelf) =>
        _eval(CelValues.FromJson(self), CelValues.FromJson(oldSelf)) is bool b
            ? b
            : throw new CelException("rule did not evaluate to a bool");
}
