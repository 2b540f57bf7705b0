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
    public override string ToString() => $"{File}:{Line}: {Message}";
}
