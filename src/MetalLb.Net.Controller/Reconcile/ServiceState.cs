using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Allocation;

namespace MetalLb.Net.Controller.Reconcile;

/// <summary>Our condition on a LoadBalancer Service: its status, reason and one-line message.</summary>
public sealed record ServiceCondition(string Status, string Reason, string Message)
{
    /// <summary>
    /// The condition type we own in status.conditions. Prefixed with our domain, as Kubernetes
    /// asks of conditions a core type's own controllers do not define.
    /// </summary>
    public const string Type = "metallb.io/IPAllocated";

    public bool SameAs(Condition? c) =>
        c is not null && c.Status == Status && c.Reason == Reason && c.Message == Message;
}

/// <summary>
/// The part of a Service the controller owns: status.loadBalancer.ingress IPs, the
/// metallb.io/ip-allocated-from-pool annotation and our condition. Compared with what the API
/// holds to decide whether anything needs writing.
/// </summary>
public sealed record ServiceState(IReadOnlyList<string> IPs, string? Pool, ServiceCondition? Condition)
{
    public static ServiceState Of(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ips = (service.Status?.LoadBalancer?.Ingress ?? []).Where(i => !string.IsNullOrEmpty(i.IP)).Select(i => i.IP!).ToList();
        string? pool = service.Metadata.Annotations?.GetValueOrDefault(Annotations.IPAllocatedFromPool);
        Condition? c = ConditionOf(service);
        return new ServiceState(ips, pool, c is null ? null : new ServiceCondition(c.Status, c.Reason ?? "", c.Message ?? ""));
    }

    /// <summary>What a reconcile outcome asks the Service to look like.</summary>
    public static ServiceState From(Service service, ServiceOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(outcome);
        var ips = outcome.IPs.Select(ip => ip.ToString()).ToList();
        // Only LoadBalancer Services carry our condition; a Service that stops being one loses it.
        ServiceCondition? condition = service.Spec.Type == "LoadBalancer" ? ConditionFor(outcome) : null;
        return new ServiceState(ips, outcome.HasIPs ? outcome.Pool : null, condition);
    }

    public static ServiceCondition ConditionFor(ServiceOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.HasIPs)
            return new ServiceCondition("True", "Allocated",
                $"{string.Join(", ", outcome.IPs)} from IPAddressPool \"{outcome.Pool}\"");
        return outcome.Error is { } e
            ? new ServiceCondition("False", e.Reason.ToString(), OneLine(e.Message))
            : new ServiceCondition("False", "Pending", "no IP assigned yet");
    }

    public static Condition? ConditionOf(Service service) =>
        service.Status?.Conditions?.FirstOrDefault(c => c.Type == ServiceCondition.Type);

    public bool StatusEquals(ServiceState other) =>
        IPs.SequenceEqual(other.IPs, StringComparer.Ordinal) && Equals(Condition, other.Condition);

    public bool Equals(ServiceState? other) =>
        other is not null && StatusEquals(other) && Pool == other.Pool;

    public override int GetHashCode() => HashCode.Combine(IPs.Count, Pool, Condition);

    private static string OneLine(string message)
    {
        string line = message.ReplaceLineEndings(" ");
        return line.Length <= 1024 ? line : line[..1021] + "...";
    }
}
