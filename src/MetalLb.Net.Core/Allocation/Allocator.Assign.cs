using MetalLb.Net.Core.Networking;

namespace MetalLb.Net.Core.Allocation;

public sealed partial class Allocator
{
    /// <summary>
    /// Records explicit addresses for a service: requested ones, or ones kept from its status
    /// (§5.2). The owning pool must contain every address and be compatible with the service;
    /// an address in use by another service needs matching sharing keys and no common port.
    /// autoAssign is not consulted. On success the previous allocation is replaced.
    /// </summary>
    public AllocationError? Assign(ServiceRequest service, IReadOnlyList<IpAddress> ips)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(ips);
        var owner = OwningPool(ips);
        if (owner is null)
            return new(PendingReason.NotAllowedInConfig, $"[{string.Join(" ", ips)}] is not allowed in config");
        if (!PoolSelection.IsCompatible(owner.Pool, service))
            return new(PendingReason.PoolNotCompatible, $"pool {owner.Pool.Name} not compatible for ip assignment");
        if (ips.Count > 2)
            return new(PendingReason.TooManyAddresses, $"more than two addresses {Format(ips)}");
        if (ips.Count == 2 && ips[0].Family == ips[1].Family)
            return new(PendingReason.SameFamily, $"{Format(ips)} has the same family");
        foreach (var ip in ips)
            if (CheckSharing(service, ip) is { } error) return error;
        Record(new Allocation(service, owner.Pool.Name, ips.ToArray()));
        return null;
    }

    /// <summary>
    /// Whether <paramref name="service"/> may use <paramref name="ip"/> next to its current users:
    /// free, used only by the service itself, or shared under equal keys with no port in common.
    /// </summary>
    private AllocationError? CheckSharing(ServiceRequest service, IpAddress ip)
    {
        if (!_byIp.TryGetValue(ip, out var users)) return null;
        foreach (var other in users)
        {
            if (other.Service.Key == service.Key) continue;
            if (!service.SharesWith(other.Service))
                return new(PendingReason.SharingKeyConflict,
                    $"can't change sharing key for \"{service.Key}\", address also in use by {other.Service.Key}");
        }
        foreach (var other in users)
        {
            if (other.Service.Key == service.Key) continue;
            foreach (var port in service.Ports)
                if (other.Service.Ports.Contains(port))
                    return new(PendingReason.PortInUse, $"port {port} is already in use on \"{ip}\"");
        }
        return null;
    }

    /// <summary>True when the address is free for the service in §5.5's sense.</summary>
    private bool IsFreeFor(ServiceRequest service, IpAddress ip) => CheckSharing(service, ip) is null;

    private bool InUse(IpAddress ip) => _byIp.ContainsKey(ip);

    private static string Format(IEnumerable<IpAddress> ips) => $"[{string.Join(" ", ips)}]";
}
