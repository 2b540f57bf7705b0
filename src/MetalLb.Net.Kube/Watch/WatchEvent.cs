using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Watch;

/// <summary>
/// One event of a watch. <see cref="Object"/> is set for every type but Error and Synced;
/// <see cref="Status"/> only for Error. <see cref="ResourceVersion"/> is where a resumed
/// watch would continue from after this event.
/// </summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, KubeStatus? Status = null, string? ResourceVersion = null);
