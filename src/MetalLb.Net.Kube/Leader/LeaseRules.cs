using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Kube.Leader;

/// <summary>
/// The pure part of an election: given the lease as read, when this candidate first saw it in
/// that state, and the time now, what should the lease say next (or null: leave it alone).
/// </summary>
public static class LeaseRules
{
    /// <summary>
    /// client-go's rule: another holder keeps the lease until <paramref name="leaseDuration"/>
    /// has passed since we *observed* its last change on our own clock (renewTime written by
    /// another machine's clock is not trusted). Our own lease is always renewed.
    /// </summary>
    public static LeaseSpec? Next(LeaseSpec current, string identity, DateTimeOffset now,
        DateTimeOffset observedAt, TimeSpan leaseDuration)
    {
        ArgumentNullException.ThrowIfNull(current);
        bool heldByOther = !string.IsNullOrEmpty(current.HolderIdentity) && current.HolderIdentity != identity;
        if (heldByOther && observedAt + leaseDuration > now)
            return null;
        bool ours = current.HolderIdentity == identity;
        return new LeaseSpec
        {
            HolderIdentity = identity,
            LeaseDurationSeconds = (int)leaseDuration.TotalSeconds,
            AcquireTime = ours ? current.AcquireTime ?? now : now,
            RenewTime = now,
            LeaseTransitions = ours ? current.LeaseTransitions ?? 0 : (current.LeaseTransitions ?? 0) + 1,
        };
    }

    /// <summary>A fresh lease held by <paramref name="identity"/>.</summary>
    public static LeaseSpec First(string identity, DateTimeOffset now, TimeSpan leaseDuration) => new()
    {
        HolderIdentity = identity,
        LeaseDurationSeconds = (int)leaseDuration.TotalSeconds,
        AcquireTime = now,
        RenewTime = now,
        LeaseTransitions = 0,
    };

    /// <summary>What a leader writes when it steps down: no holder, so others need not wait out the lease.</summary>
    public static LeaseSpec Released(LeaseSpec current, DateTimeOffset now) => new()
    {
        HolderIdentity = "",
        LeaseDurationSeconds = 1,
        AcquireTime = now,
        RenewTime = now,
        LeaseTransitions = current?.LeaseTransitions ?? 0,
    };

    /// <summary>Whether two reads show the same lease state (then the observation clock keeps running).</summary>
    public static bool SameRecord(LeaseSpec? a, LeaseSpec? b) =>
        a is not null && b is not null && a.HolderIdentity == b.HolderIdentity && a.RenewTime == b.RenewTime
        && a.AcquireTime == b.AcquireTime && a.LeaseTransitions == b.LeaseTransitions
        && a.LeaseDurationSeconds == b.LeaseDurationSeconds;
}
