namespace MetalLb.Net.KubeEmulator.Store;

/// <summary>The event types of the watch protocol, spelled as on the wire.</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

internal static class WatchEventTypeNames
{
    public static string Wire(this WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        _ => "BOOKMARK",
    };
}
