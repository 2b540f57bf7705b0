using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Admission;

/// <summary>
/// A metav1.LabelSelector in its object form (matchLabels + matchExpressions), as webhook
/// configurations carry it in namespaceSelector and objectSelector. Null or {} selects
/// everything; a malformed selector is an error the caller reports (the real server answers
/// it with an InternalError).
/// </summary>
internal sealed class ObjectLabelSelector
{
    private readonly List<Func<JsonObject, bool>> _requirements = [];

    private ObjectLabelSelector()
    {
    }

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(JsonObject labels) => _requirements.TrueForAll(r => r(labels));

    public static bool TryParse(JsonNode? node, out ObjectLabelSelector selector, out string? error)
    {
        selector = new ObjectLabelSelector();
        error = null;
        if (node is null)
            return true;
        if (node is not JsonObject o)
        {
            error = "label selector must be an object";
            return false;
        }
        if (o["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var wanted))
                {
                    error = $"matchLabels[{key}] must be a string";
                    return false;
                }
                selector._requirements.Add(l => Label(l, key) == wanted);
            }
        }
        else if (o["matchLabels"] is not null)
        {
            error = "matchLabels must be an object";
            return false;
        }
        if (o["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions)
            {
                if (!TryExpression(e, out var requirement, out error))
                    return false;
                selector._requirements.Add(requirement);
            }
        }
        else if (o["matchExpressions"] is not null)
        {
            error = "matchExpressions must be a list";
            return false;
        }
        return true;
    }

    private static bool TryExpression(JsonNode? e, out Func<JsonObject, bool> requirement, out string? error)
    {
        requirement = _ => false;
        error = null;
        var key = (e as JsonObject)?["key"] is JsonValue k && k.TryGetValue<string>(out var ks) ? ks : null;
        var op = (e as JsonObject)?["operator"] is JsonValue p && p.TryGetValue<string>(out var ps) ? ps : null;
        if (key is null || op is null)
        {
            error = "a matchExpressions entry needs a key and an operator";
            return false;
        }
        var values = new HashSet<string>(StringComparer.Ordinal);
        if ((e as JsonObject)?["values"] is JsonArray list)
        {
            foreach (var v in list)
            {
                if (v is JsonValue jv && jv.TryGetValue<string>(out var s))
                    values.Add(s);
            }
        }
        // Same rules as metav1.LabelSelectorAsSelector: In/NotIn need values, Exists/DoesNotExist none.
        switch (op)
        {
            case "In" or "NotIn" when values.Count == 0:
                error = $"for 'in', 'notin' operators, values set can't be empty";
                return false;
            case "Exists" or "DoesNotExist" when values.Count > 0:
                error = $"values set must be empty for exists and does not exist";
                return false;
            case "In":
                requirement = l => Label(l, key) is { } v && values.Contains(v);
                return true;
            case "NotIn":
                requirement = l => Label(l, key) is not { } v || !values.Contains(v);
                return true;
            case "Exists":
                requirement = l => l.ContainsKey(key);
                return true;
            case "DoesNotExist":
                requirement = l => !l.ContainsKey(key);
                return true;
            default:
                error = $"\"{op}\" is not a valid label selector operator";
                return false;
        }
    }

    private static string? Label(JsonObject labels, string key) =>
        labels[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
