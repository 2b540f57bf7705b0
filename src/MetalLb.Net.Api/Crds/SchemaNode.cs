namespace MetalLb.Net.Api.Crds;

/// <summary>
/// One YAML mapping of the generated manifest. Keys are kept in ordinal order, the order
/// controller-gen writes, so our files diff cleanly against upstream's and never reorder
/// between runs.
/// </summary>
internal sealed class SchemaNode : SortedDictionary<string, object>
{
    public SchemaNode() : base(StringComparer.Ordinal)
    {
    }

    public static SchemaNode OfType(string type) => new() { ["type"] = type };
}
