using MetalLb.Net.Api.Core;
using MetalLb.Net.Controller.Reconcile;
using MetalLb.Net.Core.Allocation;

namespace MetalLb.Net.Controller.Writes;

/// <summary>
/// The ordering rule: a write that gives an address waits for every earlier write that takes one
/// away; a write that does both lands its release first, so two such writes never wait for each other.
/// </summary>
internal sealed partial class ServiceWriter
{
    private bool BlockedLocked(string key, Job job, Service basis) =>
        job.Desired.IPs.Except(ServiceState.Of(basis).IPs, StringComparer.Ordinal).Any()
        && _releases.Any(r => r.Seq < job.Seq && r.Key != key);

    /// <summary>The desired state without the addresses still to be given: only what is kept.</summary>
    private static ServiceState ReleaseOnly(Service basis, ServiceState desired)
    {
        var held = ServiceState.Of(basis).IPs;
        var kept = desired.IPs.Where(ip => held.Contains(ip, StringComparer.Ordinal)).ToList();
        return new ServiceState(kept, kept.Count > 0 ? desired.Pool : null,
            new ServiceCondition("False", "WaitingForRelease", "the new address is still being released by another Service"));
    }

    private void ReleaseLanded(string key, Service landed)
    {
        string[] unblocked;
        lock (_gate)
        {
            _written[key] = landed;
            Job job = _jobs[key];
            _releases.Remove((job.ReleaseSeq!.Value, key));
            job.ReleaseSeq = null;
            unblocked = [.. _blocked];
            _blocked.Clear();
            if (BlockedLocked(key, job, landed))
                _blocked.Add(key);
            else
                unblocked = [.. unblocked, key];
        }
        foreach (string k in unblocked)
            _queue.Add(k);
    }

    private void Complete(string key, int version, Service landed, bool gone)
    {
        List<ServiceEvent> events;
        string[] unblocked = [];
        lock (_gate)
        {
            if (!gone)
                _written[key] = landed;
            Job job = _jobs[key];
            // A newer decision arrived while this one was written: it is queued already.
            if (job.Version != version && !gone)
                return;
            _jobs.Remove(key);
            events = job.Events;
            if (job.ReleaseSeq is { } seq)
            {
                _releases.Remove((seq, key));
                unblocked = [.. _blocked];
                _blocked.Clear();
            }
        }
        if (!gone)
            Post(landed, events);
        foreach (string k in unblocked)
            _queue.Add(k);
    }
}
