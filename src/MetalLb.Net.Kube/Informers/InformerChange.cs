using MetalLb.Net.Kube.Watch;

namespace MetalLb.Net.Kube.Informers;

/// <summary>A change the informer applied to its cache: Added (New), Modified (Old, New) or Deleted (Old).</summary>
public sealed record InformerChange<T>(WatchEventType Type, T? Old, T? New)
{
    /// <summary>The object's cache key, from whichever side is present.</summary>
    public string Key => (New as Api.Meta.KubeObject ?? Old as Api.Meta.KubeObject)?.Key ?? "";
}
