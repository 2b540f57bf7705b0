using System.Diagnostics;
using System.Globalization;

namespace MetalLb.Net.Lab;

/// <summary>
/// The command lines a lab starts metallb-net-controller and metallb-net-speaker with: the
/// flags upstream's manifests pass, pointed at the lab's kubeconfig, and an environment from
/// which nothing of the user's own cluster (KUBECONFIG, METALLB_*) leaks in.
/// </summary>
public static class DaemonCommands
{
    /// <summary>The speakers' HTTP port in their node namespace (--port).</summary>
    public const int SpeakerPort = 7472;

    /// <summary>The environment variable naming a native speaker executable to run instead of the dll.</summary>
    public const string NativeSpeakerVariable = "METALLB_NET_SPEAKER_BINARY";

    /// <summary>`ip netns exec NODE dotnet metallb-net-speaker.dll ...`: the PID is dotnet's (ip execs it).</summary>
    public static ProcessStartInfo Speaker(LabNode node, string speakerDll, string kubeconfig, string logLevel, bool memberlist,
        IEnumerable<string> extraArgs)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(extraArgs);
        var psi = Clean(LabShell.Which("ip") ?? "ip");
        // METALLB_NET_SPEAKER_BINARY names a published native speaker (the Native AOT executable
        // the image ships) to run instead of `dotnet <dll>`, so the cluster tests can run on it.
        string[] speaker = Environment.GetEnvironmentVariable(NativeSpeakerVariable) is { Length: > 0 } native ? [native] : [ClusterBinaries.Dotnet, speakerDll];
        foreach (string a in (string[])["netns", "exec", node.Namespace, .. speaker])
            psi.ArgumentList.Add(a);
        var args = new List<string>
        {
            "--kubeconfig", kubeconfig, "--node-name", node.Name, "--pod-name", node.PodName,
            "--namespace", LabObjects.MetalLbNamespace, "--log-level", logLevel,
            "--port", SpeakerPort.ToString(CultureInfo.InvariantCulture),
        };
        if (memberlist)
            args.AddRange(["--ml-bindaddr", node.IPv4, "--ml-labels", LabObjects.SpeakerLabels]);
        if (memberlist && node.SecretKeyPath is { } key)
            args.AddRange(["--ml-secret-key-path", key]);
        args.AddRange(extraArgs);
        args.AddRange(node.ExtraArgs);
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>
    /// The controller on the emulator's loopback: in the caller's own namespace, or with
    /// <paramref name="netns"/> in that (node) namespace, reaching the API through its forwarder.
    /// </summary>
    public static ProcessStartInfo Controller(string controllerDll, string kubeconfig, string logLevel, string? netns = null)
    {
        var psi = Clean(netns is null ? ClusterBinaries.Dotnet : LabShell.Which("ip") ?? "ip");
        string[] prefix = netns is null ? [] : ["netns", "exec", netns, ClusterBinaries.Dotnet];
        foreach (string a in (string[])[.. prefix, controllerDll, "--kubeconfig", kubeconfig, "--namespace", LabObjects.MetalLbNamespace,
                     "--port", "0", "--identity", "lab-controller", "--log-level", logLevel,
                     // As upstream's manifests: the controller creates the speakers' gossip Secret.
                     "--ml-secret-name", "memberlist"])
            psi.ArgumentList.Add(a);
        return psi;
    }

    private static ProcessStartInfo Clean(string fileName)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // Nothing from the developer's own cluster or shell may leak in.
        foreach (string v in (string[])["KUBECONFIG", "METALLB_NODE_NAME", "METALLB_NAMESPACE", "METALLB_POD_NAME", "METALLB_HOST",
                     "METALLB_ML_BIND_ADDR", "METALLB_ML_BIND_PORT", "METALLB_ML_LABELS", "METALLB_ML_NAMESPACE",
                     "METALLB_ML_SECRET_KEY_PATH", "METALLB_BGP_TYPE", "POD_NAME"])
            psi.Environment.Remove(v);
        return psi;
    }
}
