using MetalLb.Net.Api.Meta;

namespace MetalLb.Net.Core.Selectors;

/// <summary>
/// A validated label selector: every requirement must hold (matchLabels and matchExpressions
/// are ANDed). An empty selector matches everything, as in Kubernetes.
/// </summary>
public sealed class Selector
{
    public static readonly Selector Everything = new([]);

    private readonly IReadOnlyList<Requirement> _requirements;

    private Selector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var r in _requirements)
            if (!r.Matches(labels)) return false;
        return true;
    }

    /// <summary>
    /// Converts the API form, with the checks of Kubernetes' LabelSelectorAsSelector: a known
    /// operator, values for In/NotIn and none for Exists/DoesNotExist, valid label keys and
    /// values. The error says what to fix.
    /// </summary>
    public static bool TryCreate(LabelSelector? selector, out Selector result, out string error)
    {
        result = Everything;
        error = "";
        if (selector is null) return true;
        var requirements = new List<Requirement>();
        foreach (var (key, value) in selector.MatchLabels ?? [])
        {
            if (!LabelSyntax.IsValidKey(key, out error) || !LabelSyntax.IsValidValue(value, out error))
                return false;
            requirements.Add(new Requirement(key, SelectorOperator.In, new HashSet<string>(StringComparer.Ordinal) { value }));
        }
        foreach (var e in selector.MatchExpressions ?? [])
        {
            if (!LabelSyntax.IsValidKey(e.Key, out error)) return false;
            var values = e.Values ?? [];
            SelectorOperator op;
            switch (e.Operator)
            {
                case "In": op = SelectorOperator.In; break;
                case "NotIn": op = SelectorOperator.NotIn; break;
                case "Exists": op = SelectorOperator.Exists; break;
                case "DoesNotExist": op = SelectorOperator.DoesNotExist; break;
                default:
                    error = $"\"{e.Operator}\" is not a valid label selector operator (use In, NotIn, Exists or DoesNotExist)";
                    return false;
            }
            if (op is SelectorOperator.In or SelectorOperator.NotIn && values.Count == 0)
            {
                error = $"values: for 'in', 'notin' operators, values set can't be empty (key \"{e.Key}\")";
                return false;
            }
            if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist && values.Count > 0)
            {
                error = $"values: values set must be empty for exists and does not exist (key \"{e.Key}\")";
                return false;
            }
            foreach (var v in values)
                if (!LabelSyntax.IsValidValue(v, out error)) return false;
            requirements.Add(new Requirement(e.Key, op, values.ToHashSet(StringComparer.Ordinal)));
        }
        result = new Selector(requirements);
        return true;
    }

    public override string ToString() => string.Join(",", _requirements);
}
