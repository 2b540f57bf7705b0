using System.Diagnostics.Metrics;

namespace MetalLb.Net.Hosting.Metrics;

/// <summary>
/// Upstream's metallb_k8s_client_* instruments, which both daemons export under the same names:
/// updates processed and failed, whether a configuration ever loaded, and whether the one in use
/// is stale because the latest failed to load. Created on the owner's meter.
/// </summary>
public sealed class K8sClientMetrics
{
    private readonly Counter<long> _updates, _updateErrors;
    private volatile int _configLoaded, _configStale;
    private long _updatesTotal, _updateErrorsTotal;

    public K8sClientMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _updates = meter.CreateCounter<long>("metallb_k8s_client_updates_total",
            description: "Number of k8s object updates that have been processed.");
        _updateErrors = meter.CreateCounter<long>("metallb_k8s_client_update_errors_total",
            description: "Number of k8s object updates that failed for some reason.");
        meter.CreateObservableGauge("metallb_k8s_client_config_loaded_bool", () => _configLoaded,
            description: "1 if the MetalLB configuration was successfully loaded at least once.");
        meter.CreateObservableGauge("metallb_k8s_client_config_stale_bool", () => _configStale,
            description: "1 if running on a stale configuration, because the latest config failed to load.");
    }

    public long Updates => Interlocked.Read(ref _updatesTotal);

    public long UpdateErrors => Interlocked.Read(ref _updateErrorsTotal);

    public bool ConfigStale => _configStale == 1;

    public void Update()
    {
        Interlocked.Increment(ref _updatesTotal);
        _updates.Add(1);
    }

    public void UpdateError()
    {
        Interlocked.Increment(ref _updateErrorsTotal);
        _updateErrors.Add(1);
    }

    /// <summary>A configuration load ended: valid (now loaded, not stale) or not (stale).</summary>
    public void ConfigLoaded(bool valid)
    {
        if (valid)
            _configLoaded = 1;
        _configStale = valid ? 0 : 1;
    }
}
