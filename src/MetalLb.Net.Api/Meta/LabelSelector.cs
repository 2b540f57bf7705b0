using System.Text.Json.Serialization;
using MetalLb.Net.Api.Crds;

namespace MetalLb.Net.Api.Meta;

/// <summary>
/// meta/v1 LabelSelector. matchLabels and matchExpressions are ANDed; an empty selector matches
/// everything. Matching lives in MetalLb.Net.Core (Selectors/), not here.
/// </summary>
// Atomic like Kubernetes' own LabelSelector: server-side apply replaces a selector whole,
// never merging two owners' halves into a selector nobody wrote.
[MapType("atomic")]
[Description("A label query: matchLabels and matchExpressions must all hold. An empty selector matches every object.")]
public sealed class LabelSelector
{
    [Description("Labels that must be present with exactly these values; each pair is the same as an In requirement with one value.")]
    [JsonPropertyName("matchLabels")] public Dictionary<string, string>? MatchLabels { get; set; }

    [ListType("atomic")]
    [Description("Label requirements that must all hold.")]
    [JsonPropertyName("matchExpressions")] public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

/// <summary>One matchExpressions entry: key, operator (In, NotIn, Exists, DoesNotExist), values.</summary>
[Description("A requirement on one label key.")]
public sealed class LabelSelectorRequirement
{
    [Required]
    [Description("The label key the requirement is about.")]
    [JsonPropertyName("key")] public string Key { get; set; } = "";

    [Required]
    [Description("How the label relates to values: In, NotIn, Exists or DoesNotExist.")]
    [JsonPropertyName("operator")] public string Operator { get; set; } = "";

    [ListType("atomic")]
    [Description("Values compared with the label: non-empty for In and NotIn, empty for Exists and DoesNotExist.")]
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
}
