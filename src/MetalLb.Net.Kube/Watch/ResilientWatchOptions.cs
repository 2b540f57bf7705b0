namespace MetalLb.Net.Kube.Watch;

/// <summary>How a <see cref="ResilientWatch{T}"/> lists, watches and backs off.</summary>
public sealed record ResilientWatchOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>Items per list page. <value>500 by default, as client-go's reflector.</value></summary>
    public int PageSize { get; init; } = 500;

    /// <summary>First reconnect delay. <value>800 ms by default, as client-go's reflector.</value></summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Longest reconnect delay. <value>30 s by default.</value></summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The server is asked to end each watch after this long (jittered up to twice), so that
    /// a silently dead connection is noticed. <value>5 minutes by default, as client-go.</value>
    /// </summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
