using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.Serialization;

namespace MetalLb.Net.Api.Manifests;

/// <summary>An object read from a manifest, with where it came from.</summary>
public sealed record ManifestObject(KubeObject Object, KindInfo Kind, string File, int Line)
{
    public string Location => $"{File}:{Line}";
}

/// <summary>A problem in a manifest: the file, the 1-based line, and what to fix.</summary>
public sealed record ManifestProblem(string File, int Line, string Message)
{
    /// <summary>"file:line: message"; line 0 means the whole file (it could not be read).</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
