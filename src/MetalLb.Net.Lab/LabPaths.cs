using System.Text.RegularExpressions;

namespace MetalLb.Net.Lab;

/// <summary>
/// Where a lab keeps its state: /run/metallb-net-lab/NAME/ (tmpfs, so a reboot forgets a lab
/// whose namespaces the reboot removed too) holding state.json, the kubeconfig, the gossip key,
/// FRR's files and every process's log.
/// </summary>
public static partial class LabPaths
{
    /// <summary>The folder holding every lab's folder; METALLB_NET_LAB_RUN overrides it.</summary>
    public static string RunRoot =>
        Environment.GetEnvironmentVariable("METALLB_NET_LAB_RUN") is { Length: > 0 } dir ? dir : "/run/metallb-net-lab";

    public static string Dir(string name) => Path.Combine(RunRoot, name);

    public static string State(string name) => Path.Combine(Dir(name), "state.json");

    public static string Log(string name) => Path.Combine(Dir(name), "lab.log");

    public static string Kubeconfig(string name) => Path.Combine(Dir(name), "kubeconfig");

    /// <summary>"mlb-NAME": distinct from the speaker tests' "cl&lt;id&gt;" prefix.</summary>
    public static string Prefix(string name) => "mlb-" + name;

    /// <summary>Names become namespace names and folder names: short, lower-case letters, digits and '-'.</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,15}$")]
    private static partial Regex ValidName();
}
