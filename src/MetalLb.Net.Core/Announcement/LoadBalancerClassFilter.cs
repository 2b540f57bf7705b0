namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// spec.loadBalancerClass handling, as upstream's service controller filters (docs/upstream-speaker.md §1):
/// without --lb-class only class-less services are ours; with it, only that exact class.
/// </summary>
public static class LoadBalancerClassFilter
{
    /// <summary>
    /// True when a speaker/controller started with <paramref name="ourClass"/> handles a service
    /// whose spec.loadBalancerClass is <paramref name="serviceClass"/>. An empty string is treated
    /// as unset for our flag (a blank --lb-class means none); a service's class is compared as given.
    /// </summary>
    public static bool Handles(string? serviceClass, string? ourClass) =>
        string.IsNullOrEmpty(ourClass) ? serviceClass is null : serviceClass == ourClass;
}
