using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

/// <summary>A Kubernetes Event the controller should record on the Service (upstream's reasons).</summary>
public sealed record ServiceEvent(string Type, string Reason, string Message)
{
    public static ServiceEvent Normal(string reason, string message) => new("Normal", reason, message);
    public static ServiceEvent Warning(string reason, string message) => new("Warning", reason, message);
}

/// <summary>
/// What one reconcile of a Service decided: the addresses and pool to write (empty / null to
/// clear), why it has none when it has none, and the events to record. <see cref="Ignored"/>
/// services (another loadBalancerClass) must not be touched at all.
/// </summary>
public sealed record ServiceOutcome(
    IReadOnlyList<IpAddress> IPs,
    string? Pool,
    AllocationError? Error,
    IReadOnlyList<ServiceEvent> Events,
    bool Ignored = false)
{
    public bool HasIPs => IPs.Count > 0;
}
