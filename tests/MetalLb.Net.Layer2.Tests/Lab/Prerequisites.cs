using MetalLb.Net.TestKit;

namespace MetalLb.Net.Layer2.Tests.Lab;

/// <summary>
/// Netns tests need root and the tools of scripts/install/layer2-tools.sh. On a developer machine
/// without them they skip with the reason; under CI=true a missing prerequisite is a failure.
/// </summary>
internal static class Prerequisites
{
    private static readonly string[] Tools = ["ip", "arping", "ndisc6", "tcpdump", "ping", "sysctl"];

    public static void Require()
    {
        var missing = new List<string>();
        if (!Environment.IsPrivilegedProcess)
            missing.Add("root (CAP_NET_ADMIN, CAP_NET_RAW)");
        missing.AddRange(Tools.Where(t => Cmd.Which(t) is null));
        if (missing.Count == 0)
            return;
        throw Prerequisite.Missing($"needs {string.Join(", ", missing)}; run scripts/install/layer2-tools.sh as root");
    }
}
