namespace MetalLb.Net.Kube.Rest;

/// <summary>One page of a list: the items, the list's resourceVersion and the continue token.</summary>
public sealed record KubeList<T>(IReadOnlyList<T> Items, string? ResourceVersion, string? Continue);
