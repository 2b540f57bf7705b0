using System.Text.RegularExpressions;
using MetalLb.Net.Layer2.Interfaces;
using YamlDotNet.RepresentationModel;

namespace MetalLb.Net.Speaker;

/// <summary>
/// Upstream's /etc/metallb/excludel2.yaml (ConfigMap metallb-excludel2):
/// <c>announcedInterfacesToExclude: [regex, ...]</c>, the links Layer 2 never answers on.
/// Without the file we use the list upstream's manifests ship (which adds <c>^lxc.*</c>, Cilium's
/// per-pod links, to the library's defaults), so a speaker started by hand behaves as installed.
/// </summary>
public static class ExcludeL2File
{
    public static IReadOnlyList<string> Published { get; } = [.. LinkEligibility.DefaultExcludePatterns, "^lxc.*"];

    /// <summary>The patterns from <paramref name="path"/>, or <see cref="Published"/> when it does not exist.</summary>
    /// <exception cref="FormatException">The file is not the expected YAML, or a pattern is not a regular expression.</exception>
    public static IReadOnlyList<string> Load(string path)
    {
        if (!File.Exists(path))
            return Published;
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<string> Parse(string text, string source)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{source}:{e.Start.Line}: not YAML: {e.Message}", e);
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
            return [];
        if (!root.Children.TryGetValue(new YamlScalarNode("announcedInterfacesToExclude"), out var node))
            return [];
        if (node is not YamlSequenceNode list)
            throw new FormatException($"{source}:{node.Start.Line}: announcedInterfacesToExclude must be a list of regular expressions");
        var patterns = new List<string>();
        foreach (var item in list)
        {
            if (item is not YamlScalarNode { Value: { } pattern })
                throw new FormatException($"{source}:{item.Start.Line}: each entry of announcedInterfacesToExclude must be a string");
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{source}:{item.Start.Line}: '{pattern}' is not a regular expression: {e.Message}", e);
            }
            patterns.Add(pattern);
        }
        return patterns;
    }
}
