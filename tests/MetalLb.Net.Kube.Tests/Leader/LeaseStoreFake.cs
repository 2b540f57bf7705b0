using System.Globalization;
using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Leader;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Kube.Tests.Leader;

/// <summary>An in-memory lease with the API server's optimistic concurrency (409 on a stale resourceVersion).</summary>
internal sealed class LeaseStoreFake
{
    private readonly Lock _gate = new();
    private Lease? _lease;
    private int _version;

    public Lease? Current
    {
        get { lock (_gate) return _lease is null ? null : Copy(_lease); }
    }

    /// <summary>A view of the store as one candidate sees it; cut it off to simulate a partition.</summary>
    public View For(string candidate, TimeProvider clock) => new(this, clock);

    internal sealed class View(LeaseStoreFake store, TimeProvider clock) : ILeaseStore
    {
        public bool Unreachable { get; set; }

        /// <summary>When this candidate last called the store, on its clock.</summary>
        public DateTimeOffset? LastAttempt { get; private set; }

        public Task<Lease?> GetAsync(CancellationToken ct)
        {
            Check();
            lock (store._gate)
                return Task.FromResult(store._lease is null ? null : Copy(store._lease));
        }

        public Task<Lease> CreateAsync(Lease lease, CancellationToken ct)
        {
            Check();
            lock (store._gate)
            {
                if (store._lease is not null)
                    throw new KubeApiException(HttpStatusCode.Conflict, new KubeStatus { Code = 409, Reason = "AlreadyExists" });
                return Task.FromResult(store.Save(lease));
            }
        }

        public Task<Lease> UpdateAsync(Lease lease, CancellationToken ct)
        {
            Check();
            lock (store._gate)
            {
                if (store._lease?.Metadata.ResourceVersion != lease.Metadata.ResourceVersion)
                    throw new KubeApiException(HttpStatusCode.Conflict, new KubeStatus { Code = 409, Reason = "Conflict" });
                return Task.FromResult(store.Save(lease));
            }
        }

        private void Check()
        {
            LastAttempt = clock.GetUtcNow();
            if (Unreachable)
                throw new HttpRequestException("connection refused");
        }
    }

    private Lease Save(Lease lease)
    {
        Lease stored = Copy(lease);
        stored.Metadata.ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture);
        _lease = stored;
        return Copy(stored);
    }

    private static Lease Copy(Lease l) => new()
    {
        Metadata = new() { Name = l.Metadata.Name, Namespace = l.Metadata.Namespace, ResourceVersion = l.Metadata.ResourceVersion },
        Spec = new LeaseSpec
        {
            HolderIdentity = l.Spec.HolderIdentity,
            LeaseDurationSeconds = l.Spec.LeaseDurationSeconds,
            AcquireTime = l.Spec.AcquireTime,
            RenewTime = l.Spec.RenewTime,
            LeaseTransitions = l.Spec.LeaseTransitions,
        },
    };
}
