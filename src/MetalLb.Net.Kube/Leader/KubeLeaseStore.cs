using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Leader;

/// <summary>An <see cref="ILeaseStore"/> on the API server's coordination.k8s.io/v1 Leases.</summary>
public sealed class KubeLeaseStore(ResourceClient<Lease> leases, string ns, string name) : ILeaseStore
{
    public async Task<Lease?> GetAsync(CancellationToken ct)
    {
        try
        {
            return await leases.GetAsync(ns, name, ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<Lease> CreateAsync(Lease lease, CancellationToken ct) => leases.CreateAsync(lease, ct);

    public Task<Lease> UpdateAsync(Lease lease, CancellationToken ct) => leases.UpdateAsync(lease, ct);
}
