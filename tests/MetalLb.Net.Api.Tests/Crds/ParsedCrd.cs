using MetalLb.Net.Api.Crds;
using YamlDotNet.Serialization;

namespace MetalLb.Net.Api.Tests.Crds;

/// <summary>
/// A generated CRD read back through a YAML parser, the way kubectl sees it, with small
/// helpers to reach into the schema. Scalars come back as strings ("179", "true").
/// </summary>
internal sealed class ParsedCrd
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    private ParsedCrd(string fileName, Dictionary<object, object> root)
    {
        FileName = fileName;
        Root = root;
    }

    public string FileName { get; }

    public Dictionary<object, object> Root { get; }

    public Dictionary<object, object> Spec => Map(Root, "spec");

    public IReadOnlyList<Dictionary<object, object>> Versions =>
        List(Spec, "versions").Cast<Dictionary<object, object>>().ToList();

    public static IReadOnlyList<ParsedCrd> All { get; } =
        CrdGenerator.GenerateAll().Select(m => Parse(m)).ToList();

    public static ParsedCrd Parse(CrdManifest manifest) =>
        new(manifest.FileName, Yaml.Deserialize<Dictionary<object, object>>(manifest.Yaml));

    public static ParsedCrd ForPlural(string plural) =>
        All.Single(c => c.FileName == $"metallb.io_{plural}.yaml");

    public Dictionary<object, object> Version(string name) =>
        Versions.Single(v => (string)v["name"] == name);

    public Dictionary<object, object> Schema(string version) =>
        Map(Map(Version(version), "schema"), "openAPIV3Schema");

    /// <summary>The schema of a property path such as "spec.peerPort" or "spec.preferredNodeSelectors[].weight".</summary>
    public Dictionary<object, object> Property(string version, string path)
    {
        var node = Schema(version);
        foreach (var part in path.Split('.'))
        {
            var name = part.TrimEnd('[', ']');
            node = Map(Map(node, "properties"), name);
            if (part.EndsWith("[]", StringComparison.Ordinal))
                node = Map(node, "items");
        }
        return node;
    }

    public static Dictionary<object, object> Map(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is Dictionary<object, object> map
            ? map
            : throw new KeyNotFoundException($"no mapping '{key}' in {{{string.Join(", ", node.Keys)}}}");

    public static List<object> List(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is List<object> list
            ? list
            : throw new KeyNotFoundException($"no list '{key}' in {{{string.Join(", ", node.Keys)}}}");

    public override string ToString() => FileName;
}
