using System.Globalization;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Core.Allocation;

namespace MetalLb.Net.Controller.Writes;

/// <summary>What the writer knows of each Service: the API's copy, our newer write, and pending decisions overlaid.</summary>
internal sealed partial class ServiceWriter
{
    /// <summary>
    /// The object as the API last showed it to us: the informer's copy, or the answer to our own
    /// last write when that is newer (the watch may not have delivered it yet).
    /// A decision not yet written shows as written: the next decision builds on it, as it would
    /// had the write been instant.
    /// </summary>
    public Service? Latest(string key)
    {
        lock (_gate)
        {
            Service? latest = Freshest(key, _cached(key));
            return latest is not null && _jobs.TryGetValue(key, out Job? job) ? Overlay(latest, job.Desired) : latest;
        }
    }

    private static Service Overlay(Service s, ServiceState desired)
    {
        // A deep copy: the informer's object is shared with every reader and must not change.
        var overlaid = s.DeepClone();
        var annotations = overlaid.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (desired.Pool is null)
            annotations.Remove(Annotations.IPAllocatedFromPool);
        else
            annotations[Annotations.IPAllocatedFromPool] = desired.Pool;
        overlaid.Status ??= new ServiceStatus();
        overlaid.Status.LoadBalancer = new LoadBalancerStatus { Ingress = [.. desired.IPs.Select(ip => new LoadBalancerIngress { IP = ip })] };
        return overlaid;
    }

    private Service ApiState(string key, Service fallback) => Freshest(key, _cached(key)) ?? fallback;

    private Service? Freshest(string key, Service? cached)
    {
        if (!_written.TryGetValue(key, out Service? ours))
            return cached;
        if (cached is null || cached.Metadata.Uid != ours.Metadata.Uid)
            return cached;
        return Version(ours) > Version(cached) ? ours : cached;
    }

    private static long Version(Service s) =>
        long.TryParse(s.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : long.MaxValue;
}
