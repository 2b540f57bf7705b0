using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Kube.Leader;

/// <summary>Reads and writes the one Lease an election runs on; writes are conditional on its resourceVersion.</summary>
public interface ILeaseStore
{
    /// <summary>The lease, or null if it does not exist.</summary>
    Task<Lease?> GetAsync(CancellationToken ct);

    /// <summary>Creates it; fails (409) if someone else created it first.</summary>
    Task<Lease> CreateAsync(Lease lease, CancellationToken ct);

    /// <summary>Replaces it; fails (409) if it changed since it was read.</summary>
    Task<Lease> UpdateAsync(Lease lease, CancellationToken ct);
}
