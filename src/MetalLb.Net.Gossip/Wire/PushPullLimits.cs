namespace MetalLb.Net.Gossip.Wire;

/// <summary>Bounds on what a peer may make us read in one push-pull exchange.</summary>
internal static class PushPullLimits
{
    /// <summary>memberlist refuses remote state above 20 MiB (maxPushStateBytes); so do we.</summary>
    public const int MaxStateBytes = 20 * 1024 * 1024;

    /// <summary>A sanity bound on the node count claimed by a header.</summary>
    public const int MaxNodes = 65536;
}
