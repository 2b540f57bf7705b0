using System.Text.Json.Nodes;
using MetalLb.Net.TestKit;

namespace MetalLb.Net.Deploy.Tests;

/// <summary>A rendered multi-document manifest as JSON objects, with lookups by kind and name.</summary>
public sealed class Manifest
{
    private Manifest(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public static Manifest Parse(string yaml)
    {
        var objects = new List<JsonObject>();
        foreach (string doc in yaml.ReplaceLineEndings("\n").Split("\n---"))
        {
            // Comment-only documents (helm's "# Source:" lines around an empty template) are skipped.
            if (doc.Split('\n').All(l => l.TrimStart().Length == 0 || l.TrimStart().StartsWith('#')))
                continue;
            if (JsonNode.Parse(YamlJson.Convert(doc)) is JsonObject o)
                objects.Add(o);
        }
        return new Manifest(objects);
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    public JsonObject Get(string kind, string name) =>
        OfKind(kind).FirstOrDefault(o => (string?)o["metadata"]?["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} in the manifest; it has: {string.Join(", ", Objects.Select(Describe))}");

    /// <summary>A deep copy with <paramref name="change"/> applied to every object.</summary>
    public Manifest Transform(Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var copy = Objects.Select(o => (JsonObject)o.DeepClone()).ToList();
        copy.ForEach(change);
        return new Manifest(copy);
    }

    public static string Describe(JsonObject o) => $"{o["kind"]}/{o["metadata"]?["name"]}";

    /// <summary>The first container of a Deployment's or DaemonSet's pod template.</summary>
    public static JsonObject Container(JsonObject workload) =>
        (JsonObject)workload["spec"]!["template"]!["spec"]!["containers"]![0]!;

    public static IReadOnlyList<string> Args(JsonObject workload) =>
        [.. (Container(workload)["args"]?.AsArray() ?? []).Select(a => (string)a!)];
}
