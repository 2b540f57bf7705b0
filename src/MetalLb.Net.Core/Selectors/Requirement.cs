namespace MetalLb.Net.Core.Selectors;

public enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

/// <summary>One requirement of a label selector, with Kubernetes' meaning of each operator.</summary>
public sealed record Requirement(string Key, SelectorOperator Operator, IReadOnlySet<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        string? value = null;
        bool has = labels is not null && labels.TryGetValue(Key, out value);
        return Operator switch
        {
            SelectorOperator.In => has && Values.Contains(value!),
            // NotIn also matches objects without the label, as in Kubernetes.
            SelectorOperator.NotIn => !has || !Values.Contains(value!),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        SelectorOperator.Exists => Key,
        SelectorOperator.DoesNotExist => "!" + Key,
        SelectorOperator.In => $"{Key} in ({string.Join(",", Values.Order(StringComparer.Ordinal))})",
        _ => $"{Key} notin ({string.Join(",", Values.Order(StringComparer.Ordinal))})",
    };
}
