namespace MetalLb.Net.Lab;

/// <summary>
/// What `lab up` needs before it touches anything: root, the system tools (looked up on PATH and
/// the sbin folders, so a PATH without one shows what a machine without it would), FRR for the
/// BGP modes, and the built daemons. Every missing piece is listed with how to get it.
/// </summary>
public static class LabPrerequisites
{
    public static IReadOnlyList<string> Missing(LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var missing = new List<string>();
        if (!Environment.IsPrivilegedProcess)
            missing.Add("root: the lab creates network namespaces and nftables rules; run it with sudo (sudo -E keeps your PATH)");
        foreach (var (tool, package) in new[] { ("ip", "iproute2"), ("nft", "nftables"), ("sysctl", "procps"), ("setsid", "util-linux") })
            if (Which(tool) is null)
                missing.Add($"{tool}: not found on PATH; apt-get install {package}");
        if (settings.Router)
        {
            if (Which("vtysh") is null || !File.Exists("/usr/lib/frr/bgpd") || !File.Exists("/usr/lib/frr/zebra"))
                missing.Add("FRR (vtysh on PATH, /usr/lib/frr/zebra and bgpd) for the router of --mode bgp|both: apt-get install frr, or bash scripts/install/bgp-peers.sh; or use --mode l2");
        }
        if (settings.Install == LabInstall.Helm)
        {
            if (LabHelm.Binary is null)
                missing.Add(LabHelm.BinaryMissing);
            if (LabHelm.Chart is null)
                missing.Add(LabHelm.ChartMissing);
            if (Which("unshare") is null && LabShell.Which("unshare") is null)
                missing.Add("unshare: not found on PATH (the pods' private mount namespaces); apt-get install util-linux");
        }
        if (ClusterBinaries.Speaker is null)
            missing.Add(ClusterBinaries.SpeakerMissing);
        if (ClusterBinaries.Controller is null)
            missing.Add(ClusterBinaries.ControllerMissing);
        return missing;
    }

    /// <summary>The tool on PATH or in /usr/sbin and /sbin (which sudo's PATH has and a user's may lack), else null.</summary>
    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}
