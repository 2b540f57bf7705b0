using System.Text.RegularExpressions;
using MetalLb.Net.Api.Tests.Crds;
using static MetalLb.Net.Api.Tests.Crds.ParsedCrd;

namespace MetalLb.Net.Api.Tests;

/// <summary>
/// A CRD can be valid YAML and still contradict itself: a default outside its own bounds, a
/// CEL rule or printer column naming a field that was renamed. The API server would only
/// notice at install time (or never, for columns); these tests notice at build time.
/// </summary>
public sealed partial class CrdConsistencyTests
{
    public static TheoryData<string> Files => [.. All.Select(c => c.FileName)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Defaults_satisfy_their_own_bounds_and_enums(string file)
    {
        var problems = new List<string>();
        foreach (var (path, node) in Nodes(All.Single(c => c.FileName == file)))
        {
            if (!node.TryGetValue("default", out var raw))
                continue;
            var value = (string)raw;
            if (node.TryGetValue("minimum", out var min) && long.Parse(value) < long.Parse((string)min))
                problems.Add($"{path}: default {value} < minimum {min}");
            if (node.TryGetValue("maximum", out var max) && long.Parse(value) > long.Parse((string)max))
                problems.Add($"{path}: default {value} > maximum {max}");
            if (node.TryGetValue("enum", out var values) && !((List<object>)values).Contains(value))
                problems.Add($"{path}: default {value} not in enum");
            if ((string)node["type"] == "boolean" && value is not ("true" or "false"))
                problems.Add($"{path}: boolean default {value}");
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CEL_rules_on_objects_name_existing_fields(string file)
    {
        var problems = new List<string>();
        foreach (var (path, node) in Nodes(All.Single(c => c.FileName == file)))
        {
            if (!node.TryGetValue("x-kubernetes-validations", out var rules) || !node.ContainsKey("properties"))
                continue;
            var fields = Map(node, "properties").Keys.Cast<string>().ToHashSet();
            foreach (Dictionary<object, object> rule in (List<object>)rules)
            {
                foreach (Match m in SelfField().Matches((string)rule["rule"]))
                {
                    if (!fields.Contains(m.Groups[1].Value))
                        problems.Add($"{path}: rule names self.{m.Groups[1].Value}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Printer_columns_name_existing_fields(string file)
    {
        var crd = All.Single(c => c.FileName == file);
        foreach (var version in crd.Versions)
        {
            if (!version.TryGetValue("additionalPrinterColumns", out var columns))
                continue;
            foreach (Dictionary<object, object> column in (List<object>)columns)
            {
                var path = ((string)column["jsonPath"]).TrimStart('.');
                if (path.StartsWith("metadata.", StringComparison.Ordinal))
                    continue; // the API server's own fields, not in our schema
                var exception = Record.Exception(() => crd.Property((string)version["name"], path));
                Assert.True(exception is null, $"{file} {version["name"]}: column {column["name"]} points at missing {path}");
            }
        }
    }

    [GeneratedRegex(@"self\.([A-Za-z0-9_]+)")]
    private static partial Regex SelfField();

    private static IEnumerable<(string Path, Dictionary<object, object> Node)> Nodes(ParsedCrd crd)
    {
        foreach (var version in crd.Versions)
        {
            foreach (var item in Walk((string)version["name"], crd.Schema((string)version["name"])))
                yield return item;
        }
    }

    private static IEnumerable<(string, Dictionary<object, object>)> Walk(string path, Dictionary<object, object> node)
    {
        yield return (path, node);
        if (node.TryGetValue("properties", out var properties))
        {
            foreach (var (name, child) in (Dictionary<object, object>)properties)
            {
                foreach (var item in Walk($"{path}.{name}", (Dictionary<object, object>)child))
                    yield return item;
            }
        }
        if (node.TryGetValue("items", out var items))
        {
            foreach (var item in Walk(path + "[]", (Dictionary<object, object>)items))
                yield return item;
        }
    }
}
