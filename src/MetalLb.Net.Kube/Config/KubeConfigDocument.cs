using YamlDotNet.RepresentationModel;

namespace MetalLb.Net.Kube.Config;

/// <summary>
/// The merged contents of one or more kubeconfig files: named clusters, users and contexts,
/// each remembering the directory of the file it came from (relative paths resolve there).
/// Merging follows kubectl's rule: the first file to name an entry (or current-context) wins.
/// </summary>
internal sealed class KubeConfigDocument
{
    public string? CurrentContext { get; private set; }
    public Dictionary<string, Entry> Clusters { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Entry> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Entry> Contexts { get; } = new(StringComparer.Ordinal);

    /// <summary>One named entry's inner mapping (the "cluster:", "user:" or "context:" value).</summary>
    public sealed record Entry(YamlMappingNode Body, string BaseDirectory)
    {
        public string? Get(string key) =>
            Body.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) && node is YamlScalarNode s
                && !string.IsNullOrEmpty(s.Value) ? s.Value : null;

        public bool Has(string key) => Body.Children.ContainsKey(new YamlScalarNode(key));

        /// <summary>A nested mapping (a user's "exec:"), with this entry's base directory.</summary>
        public Entry? Map(string key) =>
            Body.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) && node is YamlMappingNode m
                ? new Entry(m, BaseDirectory) : null;

        /// <summary>A sequence's nodes ("args:", "env:"); empty when the key is missing or null.</summary>
        public IReadOnlyList<YamlNode> Sequence(string key) =>
            Body.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) && node is YamlSequenceNode s
                ? [.. s.Children] : [];

        public bool GetBool(string key) => bool.TryParse(Get(key), out bool b) && b;
    }

    public void Merge(string yaml, string baseDirectory, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new KubeConfigException($"{source}: not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return;   // an empty file adds nothing, as kubectl treats it
        if (Scalar(root, "current-context") is { Length: > 0 } current)
            CurrentContext ??= current;
        AddNamed(root, "clusters", "cluster", Clusters, baseDirectory, source);
        AddNamed(root, "users", "user", Users, baseDirectory, source);
        AddNamed(root, "contexts", "context", Contexts, baseDirectory, source);
    }

    private static void AddNamed(YamlMappingNode root, string listKey, string bodyKey,
        Dictionary<string, Entry> into, string baseDirectory, string source)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out YamlNode? list) || list is not YamlSequenceNode items)
            return;
        foreach (YamlNode item in items)
        {
            if (item is not YamlMappingNode map || Scalar(map, "name") is not { Length: > 0 } name)
                throw new KubeConfigException($"{source}: every entry of {listKey} needs a name");
            YamlMappingNode body = map.Children.TryGetValue(new YamlScalarNode(bodyKey), out YamlNode? b) && b is YamlMappingNode m
                ? m : new YamlMappingNode();
            into.TryAdd(name, new Entry(body, baseDirectory));
        }
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) && node is YamlScalarNode s ? s.Value : null;
}
