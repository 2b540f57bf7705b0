namespace MetalLb.Net.Kube.Rest;

/// <summary>Query parameters of a list or watch request.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Page size; the server returns a continue token when more remain.</summary>
    public int? Limit { get; init; }
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
    /// <summary>Watch only: ask for BOOKMARK events so a resume point survives quiet periods.</summary>
    public bool AllowWatchBookmarks { get; init; }
    /// <summary>Watch only: the server closes the stream after this long.</summary>
    public int? TimeoutSeconds { get; init; }
}
