using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Kube.Rest;

namespace MetalLb.Net.Lab;

/// <summary>
/// One pod the lab's node agent runs, kubelet-style: its Pod object (owner, template labels,
/// nodeName, then status: phase, pod IP, Ready once the readiness probe passes, restart count),
/// its volumes (Secrets and ConfigMaps written to a folder), its ServiceAccount token (minted
/// through TokenRequest and bind-mounted at the in-cluster path in a private mount namespace),
/// and its one container as a process with the pod spec's args and env and its securityContext
/// (user, groups, capabilities, no_new_privs, read-only root: <see cref="PodSecurity"/>). A container that exits
/// is started again after the kubelet's back-off (10 s doubling to 5 min).
/// </summary>
public sealed class PodRunner : IDisposable
{
    /// <summary>Where a pod finds its ServiceAccount (InClusterConfig.DefaultDirectory; /var/run is /run here).</summary>
    public const string ServiceAccountDir = "/run/secrets/kubernetes.io/serviceaccount";

    private static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ProbePeriod = TimeSpan.FromSeconds(1);

    private readonly PodRuntime _runtime;
    private readonly string _dir;
    private DateTime _nextProbe;
    private DateTime? _restartAt;
    private DateTime _startedAt;
    private string _waiting = "ContainerCreating";
    private string? _waitingMessage;
    private int? _lastExit;
    private int _probeFailures;

    public PodRunner(PodRuntime runtime, PodTemplate template, string name, PodHost host)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(host);
        _runtime = runtime;
        Template = template;
        Name = name;
        Host = host;
        _dir = Path.Combine(runtime.Dir, "pods", name);
    }

    public PodTemplate Template { get; }

    public string Name { get; }

    public PodHost Host { get; }

    /// <summary>The process, once the container first started.</summary>
    public LabProcess? Process { get; private set; }

    /// <summary>The name its process has in state.json and the logs: "speaker-node1", "controller" (as with --install direct).</summary>
    public string ProcessName => Template.IsDaemonSet ? $"{ContainerName}-{Host.NodeName}" : ContainerName;

    public string ContainerName => (string?)Template.Container["name"] ?? "container";

    public bool IsReady { get; private set; }

    public int Restarts { get; private set; }

    public bool IsRunning => Process?.IsRunning == true;

    /// <summary>Creates the Pod object (phase Pending): the agent's "controller" half.</summary>
    public async Task CreateAsync(CancellationToken ct)
    {
        var meta = new JsonObject
        {
            ["name"] = Name,
            ["namespace"] = Template.Namespace,
            ["labels"] = new JsonObject([.. Template.Labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)),
                KeyValuePair.Create(Template.HashLabel, (JsonNode?)Template.Hash)]),
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = Template.Kind, ["name"] = Template.Name, ["uid"] = Template.Uid,
                ["controller"] = true, ["blockOwnerDeletion"] = true,
            }),
        };
        if (Template.Template["metadata"]?["annotations"] is JsonObject annotations)
            meta["annotations"] = annotations.DeepClone();
        var spec = Template.Spec.DeepClone().AsObject();
        spec["nodeName"] = Host.NodeName;
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = spec };
        await _runtime.Api.Generic(LabObjects.Pods).CreateAsync(GenericObject.Parse(pod.ToJsonString()), ct);
        await PatchStatusAsync(ct);
    }

    /// <summary>
    /// One kubelet step: start the container when its volumes can be made, restart it after its
    /// back-off once it exited, probe readiness while it runs. Status changes go to the API.
    /// </summary>
    public async Task TickAsync(CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        if (Process is null)
        {
            if (await TryStartAsync(ct))
                await PatchStatusAsync(ct);
            return;
        }
        if (!Process.IsRunning)
        {
            if (_restartAt is null)
            {
                _lastExit = Process.ExitCode;
                // The kubelet resets the back-off after a container ran 10 minutes without trouble.
                var backOff = now - _startedAt > TimeSpan.FromMinutes(10) ? FirstBackOff
                    : TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, FirstBackOff.Ticks << Math.Min(Restarts, 5)));
                _restartAt = now + backOff;
                IsReady = false;
                _probeFailures = 0;
                _waiting = "CrashLoopBackOff";
                _runtime.Progress($"pod {Name}: container {ContainerName} exited ({_lastExit}); back-off {backOff.TotalSeconds:0} s, then restart (as the kubelet)");
                await PatchStatusAsync(ct);
            }
            else if (now >= _restartAt)
            {
                _restartAt = null;
                if (await TryStartAsync(ct))
                {
                    Restarts++;
                    _runtime.Progress($"pod {Name}: container {ContainerName} restarted (pid {Process.Pid}, restarts {Restarts})");
                    await PatchStatusAsync(ct);
                }
                else
                {
                    _restartAt = now + FirstBackOff;
                }
            }
            return;
        }
        if (now < _nextProbe)
            return;
        _nextProbe = now + ProbePeriod;
        bool passed = await ProbeAsync(ct);
        // As the kubelet: Ready after one success, not Ready only after failureThreshold
        // failures in a row (one slow answer on a loaded machine does not flap the pod).
        _probeFailures = passed ? 0 : _probeFailures + 1;
        bool ready = passed || (IsReady && _probeFailures < (Template.Readiness?.FailureThreshold ?? 1));
        if (ready != IsReady)
        {
            IsReady = ready;
            await PatchStatusAsync(ct);
            _runtime.Progress(ready
                ? $"pod {Name} is Ready ({ContainerName}, pid {Process.Pid}, in {Host.Netns})"
                : $"pod {Name} is not Ready: its readiness probe failed {_probeFailures} times in a row");
        }
    }

    /// <summary>Stops the container (SIGTERM, then SIGKILL after the pod's grace period) and deletes the Pod object.</summary>
    public async Task DeleteAsync(CancellationToken ct)
    {
        Process?.Stop(Template.TerminationGrace);
        try
        {
            await _runtime.Api.Generic(LabObjects.Pods).DeleteAsync(Template.Namespace, Name, null, ct);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
        Dispose();
    }

    public void Dispose() => Process?.Dispose();

    private async Task<bool> TryStartAsync(CancellationToken ct)
    {
        var security = PodSecurity.Resolve(Template.Spec, Template.Container, PodSecurity.ImageUser(Template.Image));
        if (security.Refusal is { } refusal)
        {
            // As the kubelet: the container is not created, the pod waits with the reason.
            if (_waiting != "CreateContainerConfigError")
            {
                _waiting = "CreateContainerConfigError";
                _waitingMessage = $"{refusal} (pod: \"{Name}_{Template.Namespace}\", container: {ContainerName})";
                _runtime.Progress($"pod {Name}: not started: {_waitingMessage}");
                await PatchStatusAsync(ct);
            }
            return false;
        }
        var mounts = new List<(string MountPath, string Folder)>();
        foreach (var (volume, mountPath) in Template.Mounts)
        {
            string? folder = await WriteVolumeAsync(volume, security, ct);
            if (folder is null)
                return false;
            mounts.Add((mountPath, folder));
        }
        string saDir = Path.Combine(_dir, "serviceaccount");
        Directory.CreateDirectory(saDir);
        await File.WriteAllTextAsync(Path.Combine(saDir, "token"), await _runtime.RequestTokenAsync(Template.Namespace, Template.ServiceAccount, ct), ct);
        await File.WriteAllTextAsync(Path.Combine(saDir, "ca.crt"), _runtime.CaPem, ct);
        await File.WriteAllTextAsync(Path.Combine(saDir, "namespace"), Template.Namespace, ct);
        mounts.Add((ServiceAccountDir, saDir));

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = Name, ["metadata.namespace"] = Template.Namespace, ["spec.nodeName"] = Host.NodeName,
            ["spec.serviceAccountName"] = Template.ServiceAccount, ["status.podIP"] = Host.PodIP, ["status.hostIP"] = Host.HostIP,
        };
        var env = Template.Env(fields);
        string dll = Binary(Template.Image);
        if (Process is null)
        {
            string overlays = Path.Combine(_dir, "overlays");
            Directory.CreateDirectory(overlays);
            var mountScript = PodMounts.Script(mounts, overlays, security.ReadOnlyRootFilesystem);
            Process = new LabProcess(ProcessName, Path.Combine(_runtime.Dir, $"{ProcessName}.log"),
                () => StartInfo(mountScript, security, dll, Template.Args, env));
        }
        Process.Start();
        _startedAt = DateTime.UtcNow;
        _nextProbe = DateTime.UtcNow;
        _waiting = "";
        _waitingMessage = null;
        _runtime.Record(Process);
        return true;
    }

    /// <summary>
    /// `unshare -m` (a private mount namespace, as a container's) running the mount script (the
    /// volumes and the token at their mount paths, / read-only when readOnlyRootFilesystem),
    /// then `ip netns exec NETNS setpriv IDS CAPS dotnet DLL ARGS`: every step execs, so the PID
    /// is dotnet's, and setpriv comes last because ip netns exec needs CAP_SYS_ADMIN.
    /// KUBERNETES_SERVICE_HOST/PORT point at the namespace's loopback forwarder to the API,
    /// whose certificate names 127.0.0.1.
    /// </summary>
    private ProcessStartInfo StartInfo(string mountScript, PodSecurity security, string dll, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(LabShell.Which("unshare") ?? "unshare")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string a in (string[])["--mount", "--propagation", "private", "/bin/sh", "-c", mountScript + "exec \"$@\"", "pod",
                     LabShell.Which("ip") ?? "ip", "netns", "exec", Host.Netns,
                     LabShell.Which("setpriv") ?? "setpriv", .. security.SetprivArgs(), ClusterBinaries.Dotnet, dll, .. args])
            psi.ArgumentList.Add(a);
        foreach (string v in psi.Environment.Keys.Where(k => k.StartsWith("METALLB_", StringComparison.Ordinal) || k is "KUBECONFIG" or "POD_NAME").ToList())
            psi.Environment.Remove(v);
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        psi.Environment["KUBERNETES_SERVICE_HOST"] = "127.0.0.1";
        psi.Environment["KUBERNETES_SERVICE_PORT"] = _runtime.ApiPort.ToString(CultureInfo.InvariantCulture);
        psi.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        // The runtime's HOME for a user without a passwd entry in the image; root's stays /root.
        if (security.Uid != 0)
            psi.Environment["HOME"] = "/";
        return psi;
    }

    /// <summary>
    /// A Secret or ConfigMap volume written to pods/NAME/volumes/VOLUME (each key a file with the
    /// volume's defaultMode, 0644 unless set; with a pod fsGroup the files belong to that group and
    /// are group-readable, as the kubelet makes them), or null while the object does not exist yet
    /// (the kubelet keeps the pod in ContainerCreating; the speaker waits for the memberlist
    /// Secret the controller makes).
    /// </summary>
    private async Task<string?> WriteVolumeAsync(string volume, PodSecurity security, CancellationToken ct)
    {
        var spec = Template.Volume(volume) ?? throw new InvalidOperationException($"pod {Name}: volume {volume} is mounted but not defined");
        string folder = Path.Combine(_dir, "volumes", volume);
        Directory.CreateDirectory(folder);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        JsonNode? source;
        try
        {
            if ((source = spec["secret"]) is not null && (string?)source["secretName"] is { } secretName)
            {
                var secret = await _runtime.Api.Resource<Secret>().GetAsync(Template.Namespace, secretName, ct);
                foreach (var (key, b64) in secret.Data ?? [])
                    files[key] = Convert.FromBase64String(b64);
                foreach (var (key, text) in secret.StringData ?? [])
                    files[key] = Encoding.UTF8.GetBytes(text);
            }
            else if ((source = spec["configMap"]) is not null && (string?)source["name"] is { } mapName)
            {
                var map = JsonNode.Parse((await _runtime.Api.Generic(ConfigMaps).GetAsync(Template.Namespace, mapName, ct)).ToJson());
                foreach (var (key, text) in map?["data"]?.AsObject() ?? [])
                    files[key] = Encoding.UTF8.GetBytes((string?)text ?? "");
            }
            else
            {
                throw new InvalidOperationException($"pod {Name}: volume {volume} is neither a secret nor a configMap, the only kinds the lab's kubelet makes");
            }
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            if (_waiting != $"volume {volume}")
                _runtime.Progress($"pod {Name}: waiting for volume {volume} ({e.Message})");
            _waiting = $"volume {volume}";
            return null;
        }
        var mode = (UnixFileMode)((int?)source["defaultMode"] ?? 0b110_100_100);
        if (security.FsGroup is not null)
            mode |= UnixFileMode.GroupRead;
        foreach (var (key, bytes) in files)
        {
            string file = Path.Combine(folder, key);
            await File.WriteAllBytesAsync(file, bytes, ct);
            if (OperatingSystem.IsLinux())   // the lab runs only on Linux
                File.SetUnixFileMode(file, mode);
        }
        if (security.FsGroup is { } group && files.Count > 0)
            LabShell.Check("chgrp", [group.ToString(CultureInfo.InvariantCulture), .. files.Keys.Select(k => Path.Combine(folder, k))]);
        return folder;
    }

    private static readonly ResourceInfo ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);

    /// <summary>The last part of an image's repository, without registry, tag or digest: "controller" for …/controller:v1.</summary>
    public static string ImageName(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        string repository = image.Split('@')[0];
        int colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/'))
            repository = repository[..colon];
        return repository[(repository.LastIndexOf('/') + 1)..];
    }

    /// <summary>The image names the built program: …/controller → metallb-net-controller.dll, …/speaker → metallb-net-speaker.dll.</summary>
    public static string Binary(string image)
    {
        return ImageName(image) switch
        {
            "controller" or "metallb-net-controller" => ClusterBinaries.Controller ?? throw new InvalidOperationException(ClusterBinaries.ControllerMissing),
            "speaker" or "metallb-net-speaker" => ClusterBinaries.Speaker ?? throw new InvalidOperationException(ClusterBinaries.SpeakerMissing),
            _ => throw new InvalidOperationException($"image {image}: the lab runs only MetalLb.Net's controller and speaker images (…/controller, …/speaker) from their built dlls"),
        };
    }

    private async Task<bool> ProbeAsync(CancellationToken ct)
    {
        if (Template.Readiness is not { } probe)
            return true;   // no probe: Ready as soon as it runs, as the kubelet
        using var http = Host.Sockets.HttpClient(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{probe.Host ?? Host.PodIP}:{probe.Port}/")));
        http.Timeout = probe.Timeout;
        try
        {
            using var response = await http.GetAsync(new Uri(probe.Path, UriKind.Relative), ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task PatchStatusAsync(CancellationToken ct)
    {
        string now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string ready = IsReady ? "True" : "False";
        bool running = Process?.IsRunning == true;
        var state = running
            ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = _startedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) } }
            : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = _waiting.StartsWith("volume", StringComparison.Ordinal) ? "ContainerCreating" : _waiting.Length > 0 ? _waiting : "ContainerCreating" } };
        if (!running && _waitingMessage is not null)
            state["waiting"]!["message"] = _waitingMessage;
        var container = new JsonObject
        {
            ["name"] = ContainerName, ["image"] = Template.Image, ["imageID"] = "", ["ready"] = IsReady, ["started"] = running,
            ["restartCount"] = Restarts, ["state"] = state,
        };
        if (_lastExit is { } code)
            container["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = code, ["reason"] = code == 0 ? "Completed" : "Error" } };
        var ips = new JsonArray(new JsonObject { ["ip"] = Host.PodIP });
        if (Host.PodIPv6 is { } v6)
            ips.Add(new JsonObject { ["ip"] = v6 });
        var status = new JsonObject
        {
            ["phase"] = Process is null ? "Pending" : "Running",
            ["hostIP"] = Host.HostIP,
            ["podIP"] = Host.PodIP,
            ["podIPs"] = ips,
            ["startTime"] = now,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                new JsonObject { ["type"] = "Initialized", ["status"] = "True" },
                new JsonObject { ["type"] = "ContainersReady", ["status"] = ready },
                new JsonObject { ["type"] = "Ready", ["status"] = ready }),
            ["containerStatuses"] = new JsonArray(container),
        };
        try
        {
            await _runtime.Api.Generic(LabObjects.Pods).PatchAsync(Template.Namespace, Name, PatchType.Merge,
                new JsonObject { ["status"] = status }.ToJsonString(), subresource: "status", ct: ct);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile (helm uninstall); the agent stops it.
        }
    }
}
