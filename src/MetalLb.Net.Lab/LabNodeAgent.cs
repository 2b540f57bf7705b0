using System.Globalization;
using MetalLb.Net.Kube.Informers;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>
/// The lab's stand-in for the DaemonSet and Deployment controllers and the kubelet, so that
/// `helm install` of charts/metallb-net is what runs MetalLb.Net: it watches the Deployments and
/// DaemonSets of one namespace (the project's informers), makes their Pod objects (a DaemonSet's
/// on every node its nodeSelector matches, a Deployment's on the controller's own namespace) and
/// runs each as a <see cref="PodRunner"/>. A changed pod template (helm upgrade) replaces the
/// pods one at a time, each only once the others are Ready (maxUnavailable 1; the old pod stops
/// before the new one starts, because both would use the same ports in one network namespace).
/// A deleted workload (helm uninstall) takes its pods with it.
/// </summary>
public sealed class LabNodeAgent(PodRuntime runtime, string ns, IReadOnlyList<LabNode> nodes, PodHost controllerHost)
{
    public static readonly ResourceInfo Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceInfo DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true);

    private readonly List<PodRunner> _pods = [];

    /// <summary>The pods running now (a copy: the agent's loop changes the list).</summary>
    public IReadOnlyList<PodRunner> Pods
    {
        get
        {
            lock (_pods)
                return [.. _pods];
        }
    }

    /// <summary>Reconciles after every change and once a second (probes, restarts), until cancelled; then stops every pod.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var deployments = new Informer<GenericObject>(runtime.Api.Generic(Deployments), ns);
        var daemonSets = new Informer<GenericObject>(runtime.Api.Generic(DaemonSets), ns);
        using var changed = new SemaphoreSlim(0);
        using var a = deployments.AddHandler(_ => Wake(changed));
        using var b = daemonSets.AddHandler(_ => Wake(changed));
        var watching = Task.WhenAll(deployments.RunAsync(ct), daemonSets.RunAsync(ct));
        try
        {
            await Task.WhenAll(deployments.ReadyAsync(ct), daemonSets.ReadyAsync(ct));
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync([.. deployments.Cache.List(), .. daemonSets.Cache.List()], ct);
                    foreach (var pod in Pods)
                        await pod.TickAsync(ct);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or InvalidOperationException or IOException && !ct.IsCancellationRequested)
                {
                    runtime.Progress($"node agent: {e.Message}; trying again in 1 s");
                }
                await changed.WaitAsync(TimeSpan.FromMilliseconds(500), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Stops every pod's process (SIGTERM, the pod's grace period, then SIGKILL).</summary>
    public void StopAll()
    {
        foreach (var pod in Pods)
            pod.Dispose();
    }

    private async Task ReconcileAsync(IReadOnlyList<GenericObject> workloads, CancellationToken ct)
    {
        var templates = workloads.Select(w => PodTemplate.Parse(w.ToJson())).ToList();
        // Pods whose workload is gone (helm uninstall): deleted, as the garbage collector does.
        foreach (var orphan in Pods.Where(p => !templates.Any(t => t.Uid == p.Template.Uid)))
        {
            runtime.Progress($"pod {orphan.Name}: its {orphan.Template.Kind} {orphan.Template.Name} is gone; deleting it");
            await RemoveAsync(orphan, ct);
        }
        foreach (var t in templates)
        {
            var hosts = Hosts(t);
            var mine = Pods.Where(p => p.Template.Uid == t.Uid).ToList();
            // Pods on hosts the workload no longer wants (scaled down, selector changed).
            foreach (var extra in mine.Where(p => !hosts.Any(h => h.NodeName == p.Host.NodeName && h.Netns == p.Host.Netns)))
            {
                await RemoveAsync(extra, ct);
                mine.Remove(extra);
            }
            foreach (var host in hosts.Where(h => !mine.Any(p => p.Host.Netns == h.Netns)))
                await AddAsync(t, host, ct);
            // Rolling update: one outdated pod at a time, once every other pod is Ready.
            var outdated = mine.Where(p => p.Template.Hash != t.Hash).ToList();
            if (outdated.Count > 0 && mine.Except(outdated).All(p => p.IsReady))
            {
                var old = outdated[0];
                runtime.Progress($"{t.Kind} {t.Name}: template changed ({old.Template.Hash} -> {t.Hash}); replacing pod {old.Name} on {old.Host.NodeName}");
                await RemoveAsync(old, ct);
                await AddAsync(t, old.Host, ct);
            }
        }
    }

    /// <summary>A DaemonSet's: every node whose labels match its nodeSelector; a Deployment's: the controller's namespace, once.</summary>
    private List<PodHost> Hosts(PodTemplate t)
    {
        if (!t.IsDaemonSet)
            return t.Replicas > 0 ? [controllerHost] : [];
        return [.. nodes.Where(n => t.NodeSelector.All(kv => LabObjects.NodeLabels(n.Name).GetValueOrDefault(kv.Key) == kv.Value))
            .Select(n => t.HostNetwork ? NodeHost(n) : controllerHost with { NodeName = n.Name })];
    }

    public static PodHost NodeHost(LabNode n) => new(n.Name, n.Namespace, n.Sockets, n.IPv4, n.IPv4, n.IPv6);

    private async Task AddAsync(PodTemplate t, PodHost host, CancellationToken ct)
    {
        // DaemonSet pods: NAME-xxxxx; Deployment pods: NAME-HASH-xxxxx, as the real controllers name them.
        string suffix = Guid.NewGuid().ToString("N")[..5];
        string name = t.IsDaemonSet ? $"{t.Name}-{suffix}" : $"{t.Name}-{t.Hash}-{suffix}";
        var pod = new PodRunner(runtime, t, name, host);
        await pod.CreateAsync(ct);
        lock (_pods)
            _pods.Add(pod);
        runtime.Progress(string.Create(CultureInfo.InvariantCulture, $"pod {name} ({t.Kind} {t.Name}) created on {host.NodeName}, in namespace {host.Netns}"));
    }

    private async Task RemoveAsync(PodRunner pod, CancellationToken ct)
    {
        lock (_pods)
            _pods.Remove(pod);
        await pod.DeleteAsync(ct);
        runtime.Progress($"pod {pod.Name} stopped and deleted");
    }

    private static void Wake(SemaphoreSlim changed)
    {
        if (changed.CurrentCount == 0)
            changed.Release();
    }
}
