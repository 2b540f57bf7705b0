namespace MetalLb.Net.Core.Allocation;

/// <summary>Why a Service has no (new) IP. Each value has upstream's message beside it in <see cref="AllocationError"/>.</summary>
public enum PendingReason
{
    NotLoadBalancer,
    LoadBalancerClassNotOurs,
    NoPoolsConfigured,
    NoClusterIPs,
    NotEnoughClusterIPs,
    IndeterminateClusterFamily,
    InvalidRequestedIPs,
    RequestedFamilyMismatch,
    RequestedPoolMismatch,
    NotAllowedInConfig,
    PoolNotCompatible,
    TooManyAddresses,
    SameFamily,
    SharingKeyConflict,
    PortInUse,
    UnknownPool,
    NoAvailableIPsInPool,
    NoAvailableIPs,
}

/// <summary>A reason and the one-line message upstream's allocator gives for it.</summary>
public sealed record AllocationError(PendingReason Reason, string Message)
{
    public override string ToString() => Message;
}
