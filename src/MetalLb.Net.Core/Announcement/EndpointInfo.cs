namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// One endpoint of a service as the speaker sees it: where it runs, whether it can take
/// traffic (docs/upstream-speaker.md §2.1) and whether it has any address (BGP's checks require one).
/// </summary>
public sealed record EndpointInfo(string? NodeName, bool CanServe, bool HasAddress);
