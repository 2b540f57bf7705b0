namespace MetalLb.Net.Kube.Watch;

/// <summary>The kinds of watch event. The first five are the server's; Synced is the client's own.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    /// <summary>No change: the object carries only the resourceVersion the watch has reached.</summary>
    Bookmark,
    /// <summary>The server ended the watch with a Status (e.g. 410 Gone).</summary>
    Error,
    /// <summary>
    /// Not from the server: <see cref="ResilientWatch{T}"/> has delivered a whole (re)list, so
    /// a consumer's state now equals the server's at that resourceVersion.
    /// </summary>
    Synced,
}
