using System.Text.Json.Nodes;

namespace MetalLb.Net.Lab.Tests;

/// <summary>
/// How the node agent reads a pod's and its container's securityContext (pure: no process is
/// started): the user, groups and capabilities it hands to setpriv, and the kubelet's refusal of
/// a root user under runAsNonRoot.
/// </summary>
public sealed class PodSecurityTests
{
    private static (JsonObject Spec, JsonObject Container) Pod(string podContext, string containerContext)
    {
        var container = JsonNode.Parse($$"""{"name": "c", "securityContext": {{containerContext}}}""")!.AsObject();
        var spec = JsonNode.Parse($$"""{"securityContext": {{podContext}}}""")!.AsObject();
        spec["containers"] = new JsonArray(container);
        return (spec, container);
    }

    [Fact]
    public void The_charts_controller_runs_as_nobody_with_no_capability_no_new_privs_and_a_read_only_root()
    {
        var (spec, container) = Pod("""{"runAsNonRoot": true, "runAsUser": 65534, "fsGroup": 65534}""",
            """{"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}}""");
        var s = PodSecurity.Resolve(spec, container, PodSecurity.ImageUser("quay.io/metallb-net/controller:v1"));
        Assert.Null(s.Refusal);
        Assert.Equal((65534L, 65534L), (s.Uid, s.Gid));
        Assert.Equal([65534L], s.Groups);
        Assert.Empty(s.Capabilities!);
        Assert.True(s.NoNewPrivs);
        Assert.True(s.ReadOnlyRootFilesystem);
        Assert.Equal(["--reuid", "65534", "--regid", "65534", "--groups", "65534", "--bounding-set", "-all", "--inh-caps", "-all",
            "--ambient-caps", "-all", "--no-new-privs"], s.SetprivArgs());
    }

    [Fact]
    public void The_charts_speaker_runs_as_the_images_root_with_net_raw_only()
    {
        var (spec, container) = Pod("{}",
            """{"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"], "add": ["NET_RAW"]}}""");
        var s = PodSecurity.Resolve(spec, container, PodSecurity.ImageUser("quay.io/metallb-net/speaker@sha256:00"));
        Assert.Null(s.Refusal);
        Assert.Equal((0L, 0L), (s.Uid, s.Gid));
        Assert.Equal(["net_raw"], s.Capabilities!);
        Assert.Contains("-all,+net_raw", s.SetprivArgs());
        Assert.Contains("--clear-groups", s.SetprivArgs());
    }

    [Fact]
    public void Without_a_securityContext_the_runtimes_default_capabilities_and_no_no_new_privs()
    {
        var (spec, container) = Pod("{}", """{"capabilities": {"drop": ["CAP_MKNOD"], "add": ["NET_ADMIN"]}}""");
        var s = PodSecurity.Resolve(spec, container, (0, 0));
        Assert.Equal([.. PodSecurity.RuntimeDefaultCapabilities.Where(c => c != "mknod"), "net_admin"], s.Capabilities!);
        Assert.False(s.NoNewPrivs);
        Assert.False(s.ReadOnlyRootFilesystem);
        Assert.DoesNotContain("--no-new-privs", s.SetprivArgs());
    }

    [Fact]
    public void The_containers_fields_win_over_the_pods_and_a_privileged_container_keeps_every_capability()
    {
        var (spec, container) = Pod("""{"runAsUser": 1000, "runAsGroup": 1000, "supplementalGroups": [5, 6]}""",
            """{"runAsUser": 2000, "privileged": true, "allowPrivilegeEscalation": false}""");
        var s = PodSecurity.Resolve(spec, container, (0, 0));
        Assert.Equal((2000L, 1000L), (s.Uid, s.Gid));
        Assert.Equal([5L, 6L], s.Groups);
        Assert.Null(s.Capabilities);
        Assert.False(s.NoNewPrivs);
        Assert.DoesNotContain("--bounding-set", s.SetprivArgs());
    }

    [Theory]
    [InlineData("""{"runAsNonRoot": true}""", "{}", "container has runAsNonRoot and image will run as root")]
    [InlineData("""{"runAsNonRoot": true, "runAsUser": 0}""", "{}", "container's runAsUser breaks non-root policy")]
    [InlineData("{}", """{"runAsNonRoot": true, "runAsUser": 0}""", "container's runAsUser breaks non-root policy")]
    public void RunAsNonRoot_refuses_a_root_user_as_the_kubelet(string podContext, string containerContext, string reason)
    {
        var (spec, container) = Pod(podContext, containerContext);
        Assert.Equal(reason, PodSecurity.Resolve(spec, container, (0, 0)).Refusal);
    }

    [Fact]
    public void RunAsNonRoot_accepts_a_non_root_image_user_or_runAsUser()
    {
        var (spec, container) = Pod("""{"runAsNonRoot": true}""", "{}");
        Assert.Null(PodSecurity.Resolve(spec, container, (65534, 65534)).Refusal);
        var (spec2, container2) = Pod("""{"runAsNonRoot": true}""", """{"runAsUser": 7}""");
        var s = PodSecurity.Resolve(spec2, container2, (0, 0));
        Assert.Null(s.Refusal);
        Assert.Equal((7L, 0L), (s.Uid, s.Gid));
    }

    [Fact]
    public void A_missing_mount_point_is_made_in_an_overlay_of_its_nearest_folder_and_root_is_remounted_read_only_last()
    {
        string tmp = Directory.CreateTempSubdirectory("podsec-mounts-").FullName;
        try
        {
            string script = PodMounts.Script([($"{tmp}/metallb", "/vol/a"), ($"{tmp}/ml/key", "/vol/b"), (tmp, "/vol/c")], "/ov", readOnlyRoot: true);
            var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("set -e", lines[0]);
            Assert.Single(lines, l => l.StartsWith("mount -t overlay", StringComparison.Ordinal));
            Assert.Contains($"mount -t overlay pod-overlay -o 'lowerdir={tmp},upperdir=/ov/0/upper,workdir=/ov/0/work' '{tmp}'", lines);
            Assert.Contains($"mount --bind -o ro '/vol/b' '{tmp}/ml/key'", lines);
            Assert.Equal("mount -o remount,bind,ro /", lines[^1]);
            Assert.DoesNotContain("remount", PodMounts.Script([(tmp, "/vol/c")], "/ov", readOnlyRoot: false), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(tmp);
        }
    }
}
