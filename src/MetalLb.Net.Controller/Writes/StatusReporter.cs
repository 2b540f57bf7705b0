using System.Text.Json.Nodes;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Core.Allocation;
using MetalLb.Net.Core.Config;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Status;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Controller.Writes;

/// <summary>
/// Writes what the controller reports beside Services: each IPAddressPool's status (assigned
/// and available per family) and the ConfigurationState named "controller". Only the latest
/// report matters, so reports coalesce; a failed write is retried every second.
/// </summary>
internal sealed partial class StatusReporter : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);

    private readonly ResourceClient<IPAddressPool> _poolClient;
    private readonly ResourceClient<ConfigurationState> _stateClient;
    private readonly Informer<IPAddressPool> _pools;
    private readonly ControllerOptions _options;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile IReadOnlyList<PoolUsage>? _usage;
    private volatile IReadOnlyList<ConfigError>? _configErrors;
    private IReadOnlyList<ConfigError>? _writtenErrors;

    public StatusReporter(ResourceClient<IPAddressPool> poolClient, ResourceClient<ConfigurationState> stateClient,
        Informer<IPAddressPool> pools, ControllerOptions options, ControllerMetrics metrics, ILogger log, TimeProvider? time = null)
    {
        _poolClient = poolClient;
        _stateClient = stateClient;
        _pools = pools;
        _options = options;
        _metrics = metrics;
        _log = log;
        _time = time ?? TimeProvider.System;
        _loop = Task.Run(LoopAsync);
    }

    public void PoolsChanged(IReadOnlyList<PoolUsage> usage)
    {
        _usage = usage;
        _signal.Release();
    }

    public void ConfigChanged(IReadOnlyList<ConfigError> errors)
    {
        _configErrors = errors;
        _signal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is how the loop ends.
        }
        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task LoopAsync()
    {
        CancellationToken ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            await Task.Delay(Coalesce, _time, ct).ConfigureAwait(false);
            while (_signal.CurrentCount > 0)
                await _signal.WaitAsync(ct).ConfigureAwait(false);
            bool ok = await WriteConfigurationStateAsync(ct).ConfigureAwait(false);
            ok &= await WritePoolStatusAsync(ct).ConfigureAwait(false);
            if (!ok)
            {
                await Task.Delay(Retry, _time, ct).ConfigureAwait(false);
                _signal.Release();
            }
        }
    }

    private async Task<bool> WritePoolStatusAsync(CancellationToken ct)
    {
        bool ok = true;
        foreach (PoolUsage u in _usage ?? [])
        {
            IPAddressPool? pool = _pools.Cache.Get($"{_options.Namespace}/{u.Pool}");
            if (pool is null || Matches(pool.Status, u))
                continue;
            var patch = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["assignedIPv4"] = u.AssignedV4,
                    ["assignedIPv6"] = u.AssignedV6,
                    ["availableIPv4"] = u.AvailableV4,
                    ["availableIPv6"] = u.AvailableV6,
                },
            };
            ok &= await TryAsync($"IPAddressPool {u.Pool} status", () =>
                _poolClient.PatchAsync(_options.Namespace, u.Pool, PatchType.Merge, patch.ToJsonString(), subresource: "status", ct: ct)).ConfigureAwait(false);
        }
        return ok;
    }

    private static bool Matches(IPAddressPoolStatus? s, PoolUsage u) =>
        s is not null && s.AssignedIPv4 == u.AssignedV4 && s.AssignedIPv6 == u.AssignedV6
        && s.AvailableIPv4 == u.AvailableV4 && s.AvailableIPv6 == u.AvailableV6;

    /// <summary>ConfigurationState "controller": Valid or Invalid, the errors, and upstream's poolReconcilerValid condition.</summary>
    private async Task<bool> WriteConfigurationStateAsync(CancellationToken ct)
    {
        var errors = _configErrors;
        if (errors is null || (_writtenErrors is not null && errors.SequenceEqual(_writtenErrors)))
            return true;
        string name = _options.ConfigurationStateName, ns = _options.Namespace;
        bool valid = errors.Count == 0;
        bool ok = await TryAsync("ConfigurationState", async () =>
        {
            await ConfigurationStates.WriteAsync(_stateClient, ns, name, new() { ["metallb.io/component-type"] = "controller" },
                valid, valid ? "" : string.Join("\n", errors),
                [new StateCondition("poolReconcilerValid", valid, valid ? "Reconciled" : "ConfigurationError", valid ? "" : string.Join("; ", errors))],
                _time.GetUtcNow(), ct).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        if (ok)
            _writtenErrors = errors;
        return ok;
    }

    private async Task<bool> TryAsync<T>(string what, Func<Task<T>> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics.WriteError();
            LogWriteFailed(what, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "writing {What} failed, will retry: {Error}")]
    private partial void LogWriteFailed(string what, string error);
}
