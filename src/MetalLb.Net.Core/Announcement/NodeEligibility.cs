using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Core.Announcement;

/// <summary>
/// Whether a node may announce anything at all (docs/upstream-speaker.md §2.2, upstream's internal/k8s/nodes).
/// Only two things count: NetworkUnavailable=True and the exclude label. Ready, cordon and taints
/// are not read, as upstream does not read them.
/// </summary>
public static class NodeEligibility
{
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";
    public const string NetworkUnavailableCondition = "NetworkUnavailable";

    /// <summary>
    /// Null when the node is eligible, otherwise why not. The exclude label counts by presence:
    /// upstream tests only that the key exists, so the value "false" still excludes.
    /// <paramref name="ignoreExcludeLabel"/> is the speaker's --ignore-exclude-lb.
    /// </summary>
    public static NotAnnouncedReason? Check(Node node, bool ignoreExcludeLabel = false)
    {
        ArgumentNullException.ThrowIfNull(node);
        // Upstream checks NetworkUnavailable first; keep the order so the reason matches its logs.
        if (IsNetworkUnavailable(node)) return NotAnnouncedReason.NodeNetworkUnavailable;
        if (!ignoreExcludeLabel && node.Metadata.Labels?.ContainsKey(ExcludeLabel) == true)
            return NotAnnouncedReason.NodeExcluded;
        return null;
    }

    /// <summary>True only for status "True": "Unknown" and "False" leave the node usable.</summary>
    public static bool IsNetworkUnavailable(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var c in node.Status?.Conditions ?? [])
            if (c.Type == NetworkUnavailableCondition && c.Status == "True") return true;
        return false;
    }
}
