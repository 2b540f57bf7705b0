using System.Net;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetalLb.Net.Kube.Leader;

/// <summary>
/// Lease leader election on a TimeProvider, with client-go's timing: try to acquire every
/// RetryPeriod (jittered); once leader, renew every RetryPeriod and give up if no renew
/// succeeds within RenewDeadline; on shutdown clear the holder so a successor need not wait.
/// </summary>
public sealed class LeaderElector
{
    private readonly ILeaseStore _store;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private LeaseSpec? _observed;
    private DateTimeOffset _observedAt;
    private volatile bool _isLeader;
    private bool _refusalLogged;
    private readonly ILogger _logger;

    /// <param name="logger">Leadership gained, lost, released and new holders are logged here; nothing is logged when null.</param>
    public LeaderElector(ILeaseStore store, LeaderElectionOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public bool IsLeader => _isLeader;

    /// <summary>The holder last seen on the lease ("" when released).</summary>
    public string? ObservedLeader => _observed?.HolderIdentity;

    /// <summary>Called when the holder seen on the lease changes (including to ourselves).</summary>
    public event Action<string>? NewLeader;

    /// <summary>
    /// Campaigns until leader, runs <paramref name="onStartedLeading"/> with a token cancelled
    /// when leadership is lost or <paramref name="ct"/> ends, and returns after stepping down.
    /// Leadership is held once: to campaign again after losing it, call RunAsync again.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onStartedLeading);
        if (!await AcquireAsync(ct).ConfigureAwait(false))
            return;
        Log.BecameLeader(_logger, _options.Namespace, _options.LeaseName, _options.Identity);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task work = Task.Run(() => onStartedLeading(leading.Token), CancellationToken.None);
        try
        {
            await RenewLoopAsync(leading.Token).ConfigureAwait(false);
        }
        finally
        {
            _isLeader = false;
            if (!ct.IsCancellationRequested)
                Log.LostLeadership(_logger, _options.Namespace, _options.LeaseName, _options.RenewDeadline);
            await leading.CancelAsync().ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The leader's work ends by cancellation; that is how it is told to stop.
            }
            if (ct.IsCancellationRequested && _options.ReleaseOnCancel)
                await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(ct).ConfigureAwait(false))
                return true;
            // Jitter 1.2 as client-go: candidates that started together drift apart.
            TimeSpan wait = _options.RetryPeriod * (1 + 1.2 * Random.Shared.NextDouble());
            if (!await DelayAsync(wait, ct).ConfigureAwait(false))
                break;
        }
        return false;
    }

    private async Task RenewLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long start = _time.GetTimestamp();
            bool renewed = false;
            while (!ct.IsCancellationRequested)
            {
                if (await TryAcquireOrRenewAsync(ct).ConfigureAwait(false))
                {
                    renewed = true;
                    break;
                }
                if (_time.GetElapsedTime(start) >= _options.RenewDeadline || !await DelayAsync(_options.RetryPeriod, ct).ConfigureAwait(false))
                    break;
            }
            if (!renewed || !await DelayAsync(_options.RetryPeriod, ct).ConfigureAwait(false))
                return;
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        try
        {
            DateTimeOffset now = _time.GetUtcNow();
            Lease? lease = await _store.GetAsync(ct).ConfigureAwait(false);
            if (lease is null)
            {
                var created = new Lease
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.Namespace },
                    Spec = LeaseRules.First(_options.Identity, now, _options.LeaseDuration),
                };
                Observe(await _store.CreateAsync(created, ct).ConfigureAwait(false));
                _refusalLogged = false;
                return _isLeader = true;
            }
            Observe(lease);
            LeaseSpec? next = LeaseRules.Next(lease.Spec, _options.Identity, _time.GetUtcNow(), _observedAt, _options.LeaseDuration);
            if (next is null)
                return _isLeader = false;
            lease.Spec = next;
            Observe(await _store.UpdateAsync(lease, ct).ConfigureAwait(false));
            _refusalLogged = false;
            return _isLeader = true;
        }
        catch (Rest.KubeApiException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized && !ct.IsCancellationRequested)
        {
            // Refused by RBAC or authentication: no retry will change that until someone fixes
            // the Role or the token, so the user is told once (a Warning), and each retry is Debug.
            if (!_refusalLogged)
                Log.LeaseRefused(_logger, _options.Namespace, _options.LeaseName, Log.Reason(e));
            else
                Log.LeaseAttemptFailed(_logger, _options.Namespace, _options.LeaseName, Log.Reason(e));
            _refusalLogged = true;
            return false;
        }
        catch (Exception e)
        {
            // A conflict (someone else wrote first), an unreachable server or shutdown:
            // not renewed this round; the loops decide what that means.
            if (!ct.IsCancellationRequested)
                Log.LeaseAttemptFailed(_logger, _options.Namespace, _options.LeaseName, Log.Reason(e));
            return false;
        }
    }

    private void Observe(Lease lease)
    {
        if (LeaseRules.SameRecord(_observed, lease.Spec))
            return;
        string? previous = _observed?.HolderIdentity;
        _observed = lease.Spec;
        _observedAt = _time.GetUtcNow();
        if (lease.Spec.HolderIdentity is { } holder && holder != previous)
        {
            if (holder.Length > 0)
                Log.NewLeader(_logger, _options.Namespace, _options.LeaseName, holder);
            NewLeader?.Invoke(holder);
        }
    }

    private async Task ReleaseAsync()
    {
        if (_observed?.HolderIdentity != _options.Identity)
            return;
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        // Read afresh: a renew cut short by shutdown may have landed on the server after all,
        // and a write based on the copy from before it would only meet a 409.
        Exception? last = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Lease? lease = await _store.GetAsync(timeout.Token).ConfigureAwait(false);
                if (lease?.Spec.HolderIdentity != _options.Identity)
                    return;   // someone else holds it already: nothing of ours to release
                lease.Spec = LeaseRules.Released(lease.Spec, _time.GetUtcNow());
                Observe(await _store.UpdateAsync(lease, timeout.Token).ConfigureAwait(false));
                Log.SteppedDown(_logger, _options.Namespace, _options.LeaseName);
                return;
            }
            catch (Exception e)
            {
                // Best effort: if every attempt fails, others take over once the lease expires.
                last = e;
            }
        }
        if (last is not null)
            Log.ReleaseFailed(_logger, _options.Namespace, _options.LeaseName, Log.Reason(last));
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
