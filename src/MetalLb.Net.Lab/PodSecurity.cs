using System.Globalization;
using System.Text.Json.Nodes;

namespace MetalLb.Net.Lab;

/// <summary>
/// What the kubelet and the container runtime make of a pod's and its container's
/// securityContext (the container's fields win over the pod's): the user and groups the process
/// runs as, its capabilities, no_new_privs and a read-only root filesystem. The lab's node agent
/// applies it with setpriv(1) and a read-only bind of / in the pod's mount namespace, so the
/// chart's least-privilege settings are what the lab's daemons run with.
/// </summary>
public sealed class PodSecurity
{
    /// <summary>
    /// containerd's and CRI-O's default capability set (what a container gets without
    /// capabilities.drop), as names setpriv accepts.
    /// </summary>
    public static readonly IReadOnlyList<string> RuntimeDefaultCapabilities =
    [
        "chown", "dac_override", "fsetid", "fowner", "mknod", "net_raw", "setgid", "setuid",
        "setfcap", "setpcap", "net_bind_service", "sys_chroot", "kill", "audit_write",
    ];

    private PodSecurity(long uid, long gid, IReadOnlyList<long> groups, IReadOnlyList<string>? capabilities,
        bool noNewPrivs, bool readOnlyRoot, string? refusal)
    {
        Uid = uid;
        Gid = gid;
        Groups = groups;
        Capabilities = capabilities;
        NoNewPrivs = noNewPrivs;
        ReadOnlyRootFilesystem = readOnlyRoot;
        Refusal = refusal;
    }

    public long Uid { get; }

    public long Gid { get; }

    /// <summary>Supplementary groups: the pod's fsGroup and supplementalGroups.</summary>
    public IReadOnlyList<long> Groups { get; }

    /// <summary>The capabilities the process ends with (lower-case names without CAP_), or null for every one (privileged).</summary>
    public IReadOnlyList<string>? Capabilities { get; }

    public bool NoNewPrivs { get; }

    public bool ReadOnlyRootFilesystem { get; }

    /// <summary>Why the kubelet would refuse to start the container (runAsNonRoot against a root user), or null.</summary>
    public string? Refusal { get; }

    /// <summary>The pod's fsGroup: volume files are given to this group, as the kubelet does.</summary>
    public long? FsGroup { get; private init; }

    /// <summary>
    /// Resolves the effective settings of <paramref name="container"/> in <paramref name="podSpec"/>;
    /// <paramref name="image"/> is the image's USER (uid, gid) used where runAsUser/runAsGroup are not set.
    /// </summary>
    public static PodSecurity Resolve(JsonObject podSpec, JsonObject container, (long Uid, long Gid) image)
    {
        ArgumentNullException.ThrowIfNull(podSpec);
        ArgumentNullException.ThrowIfNull(container);
        var pod = podSpec["securityContext"] as JsonObject ?? [];
        var own = container["securityContext"] as JsonObject ?? [];
        long? Long(string field) => (long?)own[field] ?? (long?)pod[field];

        long uid = Long("runAsUser") ?? image.Uid;
        // Without runAsGroup the runtime takes the image user's primary group (the image's USER
        // gid when it runs as that user, else 0: our images have no /etc/passwd entries to look up).
        long gid = Long("runAsGroup") ?? (Long("runAsUser") is null || uid == image.Uid ? image.Gid : 0);
        bool nonRoot = (bool?)own["runAsNonRoot"] ?? (bool?)pod["runAsNonRoot"] ?? false;
        string? refusal = nonRoot && uid == 0
            ? Long("runAsUser") is null
                ? "container has runAsNonRoot and image will run as root"
                : "container's runAsUser breaks non-root policy"
            : null;

        var groups = new List<long>();
        if ((long?)pod["fsGroup"] is { } fsGroup)
            groups.Add(fsGroup);
        foreach (var g in pod["supplementalGroups"]?.AsArray() ?? [])
            if ((long?)g is { } sg && !groups.Contains(sg))
                groups.Add(sg);

        bool privileged = (bool?)own["privileged"] ?? false;
        IReadOnlyList<string>? caps = privileged ? null : EffectiveCapabilities(own["capabilities"] as JsonObject);
        // Kubernetes sets no_new_privs unless allowPrivilegeEscalation is true or unset
        // (unset means allowed), and never for a privileged container.
        bool noNewPrivs = !privileged && (bool?)own["allowPrivilegeEscalation"] == false;
        bool readOnly = (bool?)own["readOnlyRootFilesystem"] ?? false;
        return new PodSecurity(uid, gid, groups, caps, noNewPrivs, readOnly, refusal) { FsGroup = (long?)pod["fsGroup"] };
    }

    /// <summary>
    /// setpriv(1) options that give the process these ids and exactly these capabilities:
    /// bounding, inheritable and ambient sets (ambient so a non-root process keeps them across
    /// exec; root gets its permitted set from bounding ∩ inheritable's rules anyway).
    /// </summary>
    public IReadOnlyList<string> SetprivArgs()
    {
        var args = new List<string>
        {
            "--reuid", Uid.ToString(CultureInfo.InvariantCulture),
            "--regid", Gid.ToString(CultureInfo.InvariantCulture),
        };
        if (Groups.Count > 0)
            args.AddRange(["--groups", string.Join(',', Groups.Select(g => g.ToString(CultureInfo.InvariantCulture)))]);
        else
            args.Add("--clear-groups");
        if (Capabilities is { } caps)
        {
            string set = string.Concat(caps.Select(c => ",+" + c));
            args.AddRange(["--bounding-set", "-all" + set, "--inh-caps", "-all" + set, "--ambient-caps", "-all" + set]);
        }
        if (NoNewPrivs)
            args.Add("--no-new-privs");
        return args;
    }

    /// <summary>
    /// The image's USER, from the repository's Dockerfiles: the controller's image runs as
    /// 65534:65534 (nobody, as upstream's), the speaker's as root.
    /// </summary>
    public static (long Uid, long Gid) ImageUser(string image) =>
        PodRunner.ImageName(image) is "controller" or "metallb-net-controller" ? (65534, 65534) : (0, 0);

    private static List<string> EffectiveCapabilities(JsonObject? spec)
    {
        var drop = Names(spec?["drop"]);
        var caps = drop.Contains("all") ? [] : RuntimeDefaultCapabilities.Where(c => !drop.Contains(c)).ToList();
        foreach (string add in Names(spec?["add"]))
        {
            if (add == "all")
                throw new InvalidOperationException("capabilities.add: ALL is not emulated by the lab's node agent (use privileged)");
            if (!caps.Contains(add))
                caps.Add(add);
        }
        return caps;
    }

    /// <summary>Kubernetes spells capabilities NET_RAW or CAP_NET_RAW; setpriv wants net_raw.</summary>
    private static HashSet<string> Names(JsonNode? list) =>
        [.. (list?.AsArray() ?? []).Select(n => ((string?)n ?? "").ToLowerInvariant()).Select(n => n.StartsWith("cap_", StringComparison.Ordinal) ? n[4..] : n)];
}
