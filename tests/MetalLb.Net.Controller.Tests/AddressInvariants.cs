using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Controller.Tests;

/// <summary>
/// Watches every Service the way a user's dashboard would and checks, at every change the API
/// server reports, the two promises about addresses: no address is in two statuses unless the
/// two Services may share it (same allow-shared-ip key, no common port), and a Service that
/// got an address keeps exactly it for as long as it exists (no move, no drop). Violations are
/// collected, not thrown, so a test can assert on all of them at the end.
/// </summary>
internal sealed class AddressInvariants : IAsyncDisposable
{
    private readonly Informer<Service> _informer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _firstIPs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _mayChange = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];

    public AddressInvariants(ResourceClient<Service> services)
    {
        _informer = new Informer<Service>(services);
        _informer.AddHandler(Check);
        _informer.Synced += OnSynced;
        _run = Task.Run(() => _informer.RunAsync(_stop.Token));
    }

    public Task ReadyAsync() => _informer.ReadyAsync();

    public int Changes { get; private set; }

    public IReadOnlyList<string> Violations
    {
        get { lock (_gate) return [.. _violations]; }
    }

    /// <summary>The test itself changed this Service so that a new address is expected.</summary>
    public void AllowChange(string uid)
    {
        lock (_gate)
            _mayChange.Add(uid);
    }

    // While a relist (after a 410) is applied object by object, the cache is a mix of old and new
    // that the server never held; sharing is checked once the whole new list is in.
    private int _relistsSeen;
    private bool _relisting;

    private void OnSynced()
    {
        lock (_gate)
        {
            _relisting = false;
            CheckSharing("relist");
        }
    }

    private void Check(InformerChange<Service> change)
    {
        lock (_gate)
        {
            Changes++;
            if (_informer.Relists != _relistsSeen)
            {
                _relistsSeen = _informer.Relists;
                _relisting = true;
            }
            if (change.New is { } svc)
            {
                string uid = svc.Metadata.Uid ?? svc.Key;
                var ips = ControllerLab.IPs(svc);
                if (_firstIPs.TryGetValue(uid, out var first))
                {
                    if (!first.SequenceEqual(ips) && !_mayChange.Contains(uid))
                        _violations.Add($"{svc.Key} changed from [{string.Join(",", first)}] to [{string.Join(",", ips)}] (rv {svc.Metadata.ResourceVersion})");
                }
                else if (ips.Count > 0)
                {
                    _firstIPs[uid] = ips;
                }
            }
            if (!_relisting)
                CheckSharing($"{change.Type} of {change.Key}");
        }
    }

    private void CheckSharing(string after)
    {
        var holders = new Dictionary<string, List<Service>>(StringComparer.Ordinal);
        foreach (Service s in _informer.Cache.List())
            foreach (string ip in ControllerLab.IPs(s))
                (holders.TryGetValue(ip, out var list) ? list : holders[ip] = []).Add(s);
        foreach (var (ip, list) in holders)
        {
            if (list.Count < 2)
                continue;
            for (int i = 0; i < list.Count; i++)
                for (int j = i + 1; j < list.Count; j++)
                    if (!MayShare(list[i], list[j]))
                        _violations.Add($"{ip} held by {list[i].Key} and {list[j].Key} (after {after})");
        }
    }

    private static bool MayShare(Service a, Service b)
    {
        string? ka = SharingKey(a), kb = SharingKey(b);
        if (string.IsNullOrEmpty(ka) || ka != kb)
            return false;
        var pa = (a.Spec.Ports ?? []).Select(p => (p.Protocol ?? "TCP", p.Port)).ToHashSet();
        return !(b.Spec.Ports ?? []).Any(p => pa.Contains((p.Protocol ?? "TCP", p.Port)));
    }

    private static string? SharingKey(Service s) =>
        s.Metadata.Annotations?.GetValueOrDefault("metallb.io/allow-shared-ip")
        ?? s.Metadata.Annotations?.GetValueOrDefault("metallb.universe.tf/allow-shared-ip");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
        _stop.Dispose();
    }
}
