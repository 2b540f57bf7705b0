using System.Text.Json.Serialization;

namespace MetalLb.Net.Api.Meta;

/// <summary>
/// meta/v1 LabelSelector. matchLabels and matchExpressions are ANDed; an empty selector matches
/// everything. Matching lives in MetalLb.Net.Core (Selectors/), not here.
/// </summary>
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }
    [JsonPropertyName("matchExpressions")] public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

/// <summary>One matchExpressions entry: key, operator (In, NotIn, Exists, DoesNotExist), values.</summary>
public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")] public string Key { get; set; } = "";
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
}
