using MetalLb.Net.Api.Manifests;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Serialization;

namespace MetalLb.Net.Cli;

/// <summary>
/// PATH arguments → objects, in input order. Problems go to stderr with file and line; any
/// error means exit 2 (null), so a plan is never made from half-read input.
/// </summary>
internal static class ManifestLoader
{
    public static IReadOnlyList<KubeObject>? Load(IReadOnlyList<string> paths, string metalLbNamespace, CliIO io)
    {
        var result = new ManifestReadResult();
        foreach (var (file, text, problem) in Sources(paths, io.Stdin))
        {
            if (problem is not null) result.Errors.Add(new ManifestProblem(file, 0, problem));
            else result.Add(ManifestReader.Read(text!, file));
        }
        Normalise(result, metalLbNamespace);
        FindDuplicates(result);
        foreach (var w in result.Warnings) io.Stderr.WriteLine($"warning: {w}");
        foreach (var e in result.Errors) io.Stderr.WriteLine($"error: {e}");
        if (result.Errors.Count > 0)
        {
            io.Stderr.WriteLine($"{result.Errors.Count} error(s) in the input; nothing was planned.");
            return null;
        }
        return result.Objects.Select(o => o.Object).ToList();
    }

    /// <summary>Files as given; folders expand to every *.yaml / *.yml below, sorted by path.</summary>
    private static IEnumerable<(string File, string? Text, string? Problem)> Sources(IReadOnlyList<string> paths, TextReader stdin)
    {
        foreach (var path in paths)
        {
            if (path == "-")
            {
                yield return ("<stdin>", stdin.ReadToEnd(), null);
                continue;
            }
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0) yield return (path, null, "the folder holds no *.yaml or *.yml files");
                foreach (var f in files) yield return Read(f);
                continue;
            }
            yield return Read(path);
        }
    }

    private static (string, string?, string?) Read(string file)
    {
        try
        {
            return (file, File.ReadAllText(file), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (file, null, File.Exists(file) || Directory.Exists(file) ? $"cannot read: {e.Message}" : "no such file or folder");
        }
    }

    /// <summary>
    /// metallb.io objects without a namespace are taken to be in MetalLB's (as `kubectl apply -n`
    /// would place them); those in another namespace are ignored with a warning, as upstream
    /// never lists them. Services and other namespaced kinds default to "default".
    /// </summary>
    private static void Normalise(ManifestReadResult result, string metalLbNamespace)
    {
        var kept = new List<ManifestObject>();
        foreach (var o in result.Objects)
        {
            var meta = o.Object.Metadata;
            bool metallb = KindRegistry.GroupOf(o.Kind.ApiVersion) == KindRegistry.MetalLbGroup || o.Kind.Kind == "Secret";
            if (o.Kind.Namespaced && string.IsNullOrEmpty(meta.Namespace))
                meta.Namespace = metallb ? metalLbNamespace : "default";
            if (metallb && meta.Namespace != metalLbNamespace)
            {
                result.Warnings.Add(new ManifestProblem(o.File, o.Line,
                    $"ignored: {o.Kind.Kind} \"{meta.Name}\" is in namespace \"{meta.Namespace}\"; MetalLB only reads its own namespace \"{metalLbNamespace}\" (use --namespace if that is yours)"));
                continue;
            }
            kept.Add(o);
        }
        result.Objects.Clear();
        result.Objects.AddRange(kept);
    }

    /// <summary>The same kind, namespace and name twice (BGPPeer v1beta1 and v1beta2 are one kind).</summary>
    private static void FindDuplicates(ManifestReadResult result)
    {
        var seen = new Dictionary<(string, string?, string?), ManifestObject>();
        foreach (var o in result.Objects)
        {
            var key = (o.Kind.Kind, o.Object.Metadata.Namespace, o.Object.Metadata.Name);
            if (seen.TryGetValue(key, out var first))
                result.Errors.Add(new ManifestProblem(o.File, o.Line,
                    $"duplicate {o.Kind.Kind} \"{o.Object.Key}\": already defined at {first.Location}; remove or rename one"));
            else
                seen[key] = o;
        }
    }
}
