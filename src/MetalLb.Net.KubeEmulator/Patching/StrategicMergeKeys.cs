namespace MetalLb.Net.KubeEmulator.Patching;

/// <summary>
/// The patchMergeKey / patchStrategy tags of the core types we serve, by field path (array
/// elements add no segment: "spec.containers.ports" is the ports of every container). Lists not
/// named here are atomic and replaced whole, as for untagged lists in the real types.
/// </summary>
internal static class StrategicMergeKeys
{
    private static readonly Dictionary<string, string> Shared = new(StringComparer.Ordinal)
    {
        ["metadata.ownerReferences"] = "uid",
        ["status.conditions"] = "type",
    };

    private static readonly Dictionary<string, Dictionary<string, string>> ByKind = new(StringComparer.Ordinal)
    {
        ["Service"] = new(StringComparer.Ordinal) { ["spec.ports"] = "port" },
        ["Pod"] = new(StringComparer.Ordinal)
        {
            ["spec.containers"] = "name",
            ["spec.initContainers"] = "name",
            ["spec.ephemeralContainers"] = "name",
            ["spec.volumes"] = "name",
            ["spec.tolerations"] = "key",
            ["spec.containers.ports"] = "containerPort",
            ["spec.containers.env"] = "name",
            ["spec.containers.volumeMounts"] = "mountPath",
            ["spec.initContainers.env"] = "name",
            ["spec.initContainers.volumeMounts"] = "mountPath",
            ["status.containerStatuses"] = "name",
            ["status.podIPs"] = "ip",
        },
        ["Node"] = new(StringComparer.Ordinal)
        {
            ["spec.taints"] = "key",
            ["status.addresses"] = "type",
        },
        ["EndpointSlice"] = new(StringComparer.Ordinal),
    };

    /// <summary>Primitive lists whose patchStrategy is merge (values are added, not replaced).</summary>
    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "metadata.finalizers" };

    public static string? MergeKey(string kind, string path) =>
        Shared.TryGetValue(path, out var k) ? k
        : ByKind.TryGetValue(kind, out var byPath) && byPath.TryGetValue(path, out var key) ? key
        : null;

    public static bool IsMergedPrimitiveList(string path) => MergedPrimitiveLists.Contains(path);
}
