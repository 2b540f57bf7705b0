using System.Diagnostics.Metrics;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Hosting.Metrics;

namespace MetalLb.Net.Controller;

/// <summary>
/// The controller's metrics under upstream's names (docs/upstream-behaviour.md#controller-metrics), so existing
/// dashboards and alerts carry over. Pool gauges read the latest usage the reconciler published;
/// a pool that disappears disappears from the scrape, as upstream deletes its series.
/// </summary>
public sealed class ControllerMetrics : IDisposable
{
    public const string MeterName = "MetalLb.Net.Controller";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly K8sClientMetrics _client;
    private volatile IReadOnlyList<PoolUsage> _pools = [];
    private long _writesTotal, _writeErrorsTotal, _configLoads;

    public ControllerMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _client = new K8sClientMetrics(_meter);
        Pool("metallb_allocator_addresses_total", "The total number of IP addresses (v4 and v6) in the pool",
            u => Saturating(u.CapacityV4, u.CapacityV6));
        Pool("metallb_allocator_ipv4_addresses_total", "The total number of IPv4 addresses in the pool", u => u.CapacityV4);
        Pool("metallb_allocator_ipv6_addresses_total", "The total number of IPv6 addresses in the pool", u => u.CapacityV6);
        Pool("metallb_allocator_addresses_in_use_total", "The number of IP addresses (v4 and v6) in use in the pool",
            u => u.AssignedV4 + u.AssignedV6);
        Pool("metallb_allocator_ipv4_addresses_in_use_total", "The number of IPv4 addresses in use in the pool", u => u.AssignedV4);
        Pool("metallb_allocator_ipv6_addresses_in_use_total", "The number of IPv6 addresses in use in the pool", u => u.AssignedV6);
    }

    public long Updates => _client.Updates;

    public long UpdateErrors => _client.UpdateErrors;

    /// <summary>Service writes (status or annotation requests) that reached the API server.</summary>
    public long Writes => Interlocked.Read(ref _writesTotal);

    public long WriteErrors => Interlocked.Read(ref _writeErrorsTotal);

    public bool ConfigStale => _client.ConfigStale;

    /// <summary>
    /// Configuration loads (valid or not) since start: the reconciler's own signal that it
    /// rebuilt its pools, which tests read to tell a reload from a cheaper path. Not exported.
    /// </summary>
    public long ConfigLoads => Interlocked.Read(ref _configLoads);

    public IReadOnlyList<PoolUsage> PoolUsage => _pools;

    internal void Update() => _client.Update();

    internal void UpdateError() => _client.UpdateError();

    internal void Write() => Interlocked.Increment(ref _writesTotal);

    internal void WriteError()
    {
        Interlocked.Increment(ref _writeErrorsTotal);
        UpdateError();
    }

    internal void ConfigLoaded(bool stale)
    {
        Interlocked.Increment(ref _configLoads);
        _client.ConfigLoaded(valid: !stale);
    }

    internal void PublishPools(IReadOnlyList<PoolUsage> pools) => _pools = pools;

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }

    private void Pool(string name, string description, Func<PoolUsage, long> value) =>
        _meter.CreateObservableGauge(name,
            () => _pools.Select(u => new Measurement<long>(value(u), new KeyValuePair<string, object?>("pool", u.Pool))),
            description: description);

    private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
