using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.Meta;
using MetalLb.Net.Api.MetalLb;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;
using MetalLb.Net.Kube.Status;
using MetalLb.Net.Kube.Watch;
using Microsoft.Extensions.Logging;

namespace MetalLb.Net.Speaker.Status;

/// <summary>
/// Converges, in the background, this node's status objects towards the latest
/// <see cref="StatusReport"/>, in upstream's shape (docs/upstream-speaker.md §4.6, §6.5, §9): one
/// ServiceL2Status per Service this node answers for (generateName l2-, and the other nodes'
/// copies of that Service deleted, as the new owner of an IP must), one ServiceBGPStatus per
/// Service it announces by BGP (generateName bgp-), each labelled with node and Service and
/// owned by the speaker Pod; and the ConfigurationState speaker-&lt;node&gt;. Only the latest
/// report matters; a failed write is retried after a second.
/// </summary>
internal sealed partial class StatusWriter : IAsyncDisposable
{
    public const string NodeLabel = "metallb.io/node";
    public const string ServiceNameLabel = "metallb.io/service-name";
    public const string ServiceNamespaceLabel = "metallb.io/service-namespace";

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly SpeakerOptions _options;
    private readonly KubeClient _client;
    private readonly Informer<ServiceL2Status> _l2;
    private readonly Informer<ServiceBGPStatus> _bgp;
    private readonly Func<Pod?> _ownPod;
    private readonly SpeakerMetrics _metrics;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly OwnObjects _ownL2 = new(), _ownBgp = new();
    private volatile StatusReport? _latest;
    private ConfigVerdict? _writtenVerdict;
    private bool _seeded;
    private readonly ConcurrentQueue<string> _deletedL2 = new(), _deletedBgp = new();

    public StatusWriter(SpeakerOptions options, KubeClient client, Informer<ServiceL2Status> l2, Informer<ServiceBGPStatus> bgp,
        Func<Pod?> ownPod, SpeakerMetrics metrics, ILogger log, TimeProvider? time = null)
    {
        _options = options;
        _client = client;
        _l2 = l2;
        _bgp = bgp;
        _ownPod = ownPod;
        _metrics = metrics;
        _log = log;
        _time = time ?? TimeProvider.System;
        _l2.AddHandler(c => { NoteDeleted(c, _deletedL2); Poke(); });
        _bgp.AddHandler(c => { NoteDeleted(c, _deletedBgp); Poke(); });
        _loop = Task.Run(LoopAsync);
    }

    public void Publish(StatusReport report)
    {
        _latest = report;
        Poke();
    }

    private void Poke()
    {
        if (_signal.CurrentCount == 0)
            _signal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            if (_latest is not { } report)
                continue;
            if (!_seeded)
            {
                // Objects this node wrote before a restart are ours to keep or delete.
                _ownL2.Seed(_l2.Cache.List().Where(Mine).Select(o => (Key(o), o.Metadata.Name!)));
                _ownBgp.Seed(_bgp.Cache.List().Where(Mine).Select(o => (Key(o), o.Metadata.Name!)));
                _seeded = true;
            }
            if (_ownL2.Forget(_deletedL2) | _ownBgp.Forget(_deletedBgp))
            {
                // Someone deleted objects of ours that we still want: during a partition both
                // sides own an IP and each deletes the other's copy, as an owner must. Make them
                // again, but a second later, so two owners do not trade deletes as fast as the
                // API answers.
                await Task.Delay(Retry, _time, ct).ConfigureAwait(false);
            }
            bool ok = await TryAsync("ConfigurationState", () => WriteConfigurationStateAsync(report.Config, ct)).ConfigureAwait(false);
            ok &= await ConvergeL2Async(report, ct).ConfigureAwait(false);
            ok &= await ConvergeBgpAsync(report, ct).ConfigureAwait(false);
            if (!ok)
            {
                await Task.Delay(Retry, _time, ct).ConfigureAwait(false);
                Poke();
            }
        }
    }

    private void NoteDeleted<T>(InformerChange<T> change, ConcurrentQueue<string> deleted) where T : KubeObject
    {
        if (change.Type == WatchEventType.Deleted && change.Old is { } gone && Mine(gone))
            deleted.Enqueue(gone.Metadata.Name!);
    }

    private bool Mine(KubeObject o) => o.Metadata.Labels?.GetValueOrDefault(NodeLabel) == _options.NodeName;

    private static ServiceKey Key(KubeObject o) => new(
        o.Metadata.Labels?.GetValueOrDefault(ServiceNamespaceLabel) ?? "",
        o.Metadata.Labels?.GetValueOrDefault(ServiceNameLabel) ?? "");

    private async Task<bool> ConvergeL2Async(StatusReport report, CancellationToken ct)
    {
        var client = _client.Resource<ServiceL2Status>();
        bool ok = true;
        foreach (var (service, interfaces) in report.Layer2)
        {
            var status = new JsonObject
            {
                ["node"] = _options.NodeName,
                ["serviceName"] = service.Name,
                ["serviceNamespace"] = service.Namespace,
            };
            if (interfaces is not null)
                status["interfaces"] = new JsonArray([.. interfaces.Select(i => (JsonNode)new JsonObject { ["name"] = i })]);
            ok &= await TryAsync($"ServiceL2Status for {service}", () => EnsureAsync(client, _ownL2, "l2-", service, status, ct)).ConfigureAwait(false);
            // The owner of an IP deletes the copies other nodes left (a failover, a config change).
            foreach (var stale in _l2.Cache.List().Where(o => !Mine(o) && Key(o) == service))
                ok &= await TryAsync($"stale ServiceL2Status {stale.Metadata.Name}", () => DeleteAsync(client, stale.Metadata.Name!, ct)).ConfigureAwait(false);
        }
        foreach (var (service, name) in _ownL2.Except(report.Layer2.Keys))
        {
            if (await TryAsync($"ServiceL2Status {name}", () => DeleteAsync(client, name, ct)).ConfigureAwait(false))
                _ownL2.Forget(service);
            else
                ok = false;
        }
        return ok;
    }

    private async Task<bool> ConvergeBgpAsync(StatusReport report, CancellationToken ct)
    {
        var client = _client.Resource<ServiceBGPStatus>();
        bool ok = true;
        foreach (var (service, peers) in report.Bgp)
        {
            var status = new JsonObject
            {
                ["node"] = _options.NodeName,
                ["serviceName"] = service.Name,
                ["serviceNamespace"] = service.Namespace,
                ["peers"] = new JsonArray([.. peers.Select(p => (JsonNode)JsonValue.Create(p)!)]),
            };
            ok &= await TryAsync($"ServiceBGPStatus for {service}", () => EnsureAsync(client, _ownBgp, "bgp-", service, status, ct)).ConfigureAwait(false);
        }
        foreach (var (service, name) in _ownBgp.Except(report.Bgp.Keys))
        {
            if (await TryAsync($"ServiceBGPStatus {name}", () => DeleteAsync(client, name, ct)).ConfigureAwait(false))
                _ownBgp.Forget(service);
            else
                ok = false;
        }
        return ok;
    }

    /// <summary>
    /// Our object for <paramref name="service"/> exists with this status: created with upstream's
    /// generateName when we have none (remembered at once, so a cache that lags behind our own
    /// write never makes a second one), its status patched only when it differs.
    /// </summary>
    private async Task<bool> EnsureAsync<T>(ResourceClient<T> client, OwnObjects own, string prefix, ServiceKey service,
        JsonObject status, CancellationToken ct) where T : KubeObject, new()
    {
        string text = status.ToJsonString();
        if (own.TryGet(service, out var name, out var written) && written == text)
            return true;
        if (name is null)
        {
            var created = await client.CreateAsync(NewObject<T>(prefix, service), ct).ConfigureAwait(false);
            name = created.Metadata.Name!;
            own.Set(service, name, null);
        }
        try
        {
            await client.PatchAsync(_options.Namespace, name, PatchType.Merge, new JsonObject { ["status"] = status.DeepClone() }.ToJsonString(),
                subresource: "status", ct: ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            own.Forget(service);   // deleted under us (another owner, a person): made again next round
            throw;
        }
        own.Set(service, name, text);
        return true;
    }

    private T NewObject<T>(string prefix, ServiceKey service) where T : KubeObject, new()
    {
        var meta = new ObjectMeta
        {
            GenerateName = prefix,
            Namespace = _options.Namespace,
            Labels = new()
            {
                [NodeLabel] = _options.NodeName,
                [ServiceNameLabel] = service.Name,
                [ServiceNamespaceLabel] = service.Namespace,
            },
        };
        if (_ownPod() is { Metadata.Uid: { Length: > 0 } uid } pod)
        {
            // Owned by the speaker Pod, so the objects of a node that is gone are collected with its Pod.
            meta.OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name!, Uid = uid }];
        }
        return new T { Metadata = meta };
    }

    private async Task<bool> DeleteAsync<T>(ResourceClient<T> client, string name, CancellationToken ct) where T : KubeObject
    {
        try
        {
            await client.DeleteAsync(_options.Namespace, name, ct: ct).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone (another owner deleted it, or a person): what we wanted.
        }
        return true;
    }

    /// <summary>ConfigurationState speaker-&lt;node&gt;: Valid or Invalid, the errors, and what this speaker cannot run.</summary>
    private async Task<bool> WriteConfigurationStateAsync(ConfigVerdict verdict, CancellationToken ct)
    {
        if (verdict.SameAs(_writtenVerdict))
            return true;
        bool supported = verdict.Warnings.Count == 0;
        await ConfigurationStates.WriteAsync(_client.Resource<ConfigurationState>(), _options.Namespace, _options.ConfigurationStateName,
            new() { ["metallb.io/component-type"] = "speaker", ["metallb.io/node-name"] = _options.NodeName },
            verdict.Valid, string.Join("\n", verdict.Errors.Concat(verdict.Warnings)),
            [
                new StateCondition("configReconcilerValid", verdict.Valid, verdict.Valid ? "Reconciled" : "ConfigurationError",
                    verdict.Valid ? "" : string.Join("; ", verdict.Errors)),
                new StateCondition("bgpPeersSupported", supported, supported ? "Supported" : "UnsupportedFeature",
                    string.Join("; ", verdict.Warnings)),
            ],
            _time.GetUtcNow(), ct).ConfigureAwait(false);
        _writtenVerdict = verdict;
        return true;
    }

    private async Task<bool> TryAsync(string what, Func<Task<bool>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound && what.StartsWith("stale", StringComparison.Ordinal))
        {
            return true;   // already gone
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics.UpdateFailed();
            LogWriteFailed(what, e.Message);
            return false;
        }
    }

    [LoggerMessage(3301, LogLevel.Warning, "writing {What} failed, will retry: {Error}")]
    private partial void LogWriteFailed(string what, string error);

    /// <summary>The status objects this node owns, by Service, with the status last written (null: not yet).</summary>
    private sealed class OwnObjects
    {
        private readonly Dictionary<ServiceKey, (string Name, string? Written)> _byService = [];

        public void Seed(IEnumerable<(ServiceKey Service, string Name)> existing)
        {
            foreach (var (service, name) in existing)
                _byService.TryAdd(service, (name, null));
        }

        public bool TryGet(ServiceKey service, out string? name, out string? written)
        {
            bool found = _byService.TryGetValue(service, out var entry);
            (name, written) = found ? entry : (null, null);
            return found;
        }

        public void Set(ServiceKey service, string name, string? written) => _byService[service] = (name, written);

        public void Forget(ServiceKey service) => _byService.Remove(service);

        /// <summary>Forgets the objects named in <paramref name="deleted"/> (drained); true when one was still ours.</summary>
        public bool Forget(ConcurrentQueue<string> deleted)
        {
            bool any = false;
            while (deleted.TryDequeue(out var name))
            {
                foreach (var (service, entry) in _byService.Where(kv => kv.Value.Name == name).ToList())
                {
                    _byService.Remove(service);
                    any = true;
                }
            }
            return any;
        }

        public List<(ServiceKey Service, string Name)> Except(IEnumerable<ServiceKey> wanted)
        {
            var keep = wanted.ToHashSet();
            return _byService.Where(kv => !keep.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.Name)).ToList();
        }
    }
}
