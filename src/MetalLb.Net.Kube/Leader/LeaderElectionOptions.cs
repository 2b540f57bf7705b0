namespace MetalLb.Net.Kube.Leader;

/// <summary>Lease-based leader election settings; the defaults are client-go's.</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }
    public required string Namespace { get; init; }
    /// <summary>This candidate's name in holderIdentity, unique among candidates (the pod name).</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait, from when they last saw the lease change, before taking it. <value>15 s by default.</value></summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renew before giving up leadership. <value>10 s by default.</value></summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between attempts to acquire or renew. <value>2 s by default.</value></summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Clear the holder on shutdown so another candidate takes over at once. <value>true by default.</value></summary>
    public bool ReleaseOnCancel { get; init; } = true;

    internal void Validate()
    {
        // client-go's own checks: a leader must give up before others may take over.
        if (LeaseDuration <= RenewDeadline)
            throw new ArgumentException("LeaseDuration must be greater than RenewDeadline");
        if (RenewDeadline <= RetryPeriod * 1.2)
            throw new ArgumentException("RenewDeadline must be greater than RetryPeriod * 1.2");
        ArgumentException.ThrowIfNullOrEmpty(Identity);
        ArgumentException.ThrowIfNullOrEmpty(LeaseName);
    }
}
