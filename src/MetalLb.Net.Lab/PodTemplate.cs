using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.Lab;

/// <summary>
/// What the lab's node agent reads from a Deployment's or DaemonSet's pod template: the one
/// container's args, env, volume mounts and readiness probe, the ServiceAccount, the volumes, and
/// a hash of the whole template (a new hash after `helm upgrade` changed it means new pods, as
/// the real controllers' pod-template-hash / controller-revision-hash labels).
/// </summary>
public sealed class PodTemplate
{
    private PodTemplate(JsonObject workload)
    {
        Workload = workload;
        Kind = (string?)workload["kind"] ?? "";
        Name = (string?)workload["metadata"]?["name"] ?? "";
        Namespace = (string?)workload["metadata"]?["namespace"] ?? "default";
        Uid = (string?)workload["metadata"]?["uid"] ?? "";
        Template = workload["spec"]?["template"]?.AsObject() ?? new JsonObject();
        Spec = Template["spec"]?.AsObject() ?? new JsonObject();
        Container = Spec["containers"]?.AsArray().FirstOrDefault()?.AsObject() ?? new JsonObject();
        // The same template renders the same hash in every process, so a restarted agent agrees.
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Template.ToJsonString())))[..10];
    }

    public JsonObject Workload { get; }

    /// <summary>Deployment or DaemonSet.</summary>
    public string Kind { get; }

    public string Name { get; }

    public string Namespace { get; }

    public string Uid { get; }

    public JsonObject Template { get; }

    public JsonObject Spec { get; }

    /// <summary>The first container: the chart's pods have one (extraContainers are not run by the lab).</summary>
    public JsonObject Container { get; }

    public string Hash { get; }

    public bool IsDaemonSet => Kind == "DaemonSet";

    public int Replicas => IsDaemonSet ? 0 : (int?)Workload["spec"]?["replicas"] ?? 1;

    public bool HostNetwork => (bool?)Spec["hostNetwork"] ?? false;

    public string ServiceAccount => (string?)Spec["serviceAccountName"] ?? "default";

    public string Image => (string?)Container["image"] ?? "";

    public TimeSpan TerminationGrace => TimeSpan.FromSeconds((int?)Spec["terminationGracePeriodSeconds"] ?? 30);

    public IReadOnlyList<string> Args => [.. (Container["args"]?.AsArray() ?? []).Select(a => (string?)a ?? "")];

    /// <summary>The label a pod of this template gets besides the template's own (Deployments: pod-template-hash).</summary>
    public string HashLabel => IsDaemonSet ? "controller-revision-hash" : "pod-template-hash";

    public IReadOnlyDictionary<string, string> Labels =>
        (Template["metadata"]?["labels"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "", StringComparer.Ordinal);

    /// <summary>nodeSelector of the template: a DaemonSet runs a pod on every node whose labels match it.</summary>
    public IReadOnlyDictionary<string, string> NodeSelector =>
        (Spec["nodeSelector"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "", StringComparer.Ordinal);

    /// <summary>
    /// The readiness probe's httpGet (path, port, host or null for the pod IP), its timeout and
    /// failureThreshold (Kubernetes' defaults 1 s and 3), or null without one.
    /// </summary>
    public (string Path, int Port, string? Host, TimeSpan Timeout, int FailureThreshold)? Readiness
    {
        get
        {
            if (Container["readinessProbe"] is not JsonObject probe || probe["httpGet"] is not JsonObject get)
                return null;
            var portNode = get["port"];
            int port = portNode is JsonValue v && v.TryGetValue(out int n) ? n : NamedPort((string?)portNode ?? "");
            return ((string?)get["path"] ?? "/", port, (string?)get["host"],
                TimeSpan.FromSeconds((int?)probe["timeoutSeconds"] ?? 1), Math.Max(1, (int?)probe["failureThreshold"] ?? 3));
        }
    }

    /// <summary>Volume mounts as (volume name, mount path).</summary>
    public IReadOnlyList<(string Volume, string MountPath)> Mounts =>
        [.. (Container["volumeMounts"]?.AsArray() ?? []).Select(m => ((string?)m!["name"] ?? "", (string?)m["mountPath"] ?? ""))];

    public JsonObject? Volume(string name) =>
        (Spec["volumes"]?.AsArray() ?? []).FirstOrDefault(v => (string?)v!["name"] == name)?.AsObject();

    /// <summary>
    /// The container's environment with fieldRefs resolved as the kubelet resolves them, or the
    /// first fieldRef/valueFrom the lab cannot resolve as an error.
    /// </summary>
    public IReadOnlyDictionary<string, string> Env(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in Container["env"]?.AsArray() ?? [])
        {
            string name = (string?)e!["name"] ?? "";
            if (e["value"] is { } value)
                env[name] = (string?)value ?? "";
            else if ((string?)e["valueFrom"]?["fieldRef"]?["fieldPath"] is { } path)
                env[name] = fields.TryGetValue(path, out string? resolved)
                    ? resolved
                    : throw new InvalidOperationException($"env {name}: fieldRef {path} is not one the lab's kubelet resolves");
            else if (e["valueFrom"] is not null)
                throw new InvalidOperationException($"env {name}: only value and fieldRef are supported by the lab's kubelet");
            else
                env[name] = "";
        }
        return env;
    }

    public static PodTemplate Parse(string workloadJson) =>
        new(JsonNode.Parse(workloadJson)?.AsObject() ?? throw new ArgumentException("not a JSON object", nameof(workloadJson)));

    private int NamedPort(string name) =>
        (Container["ports"]?.AsArray() ?? []).Where(p => (string?)p!["name"] == name).Select(p => (int?)p!["containerPort"]).FirstOrDefault()
        ?? (int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : 0);
}
