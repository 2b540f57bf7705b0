namespace MetalLb.Net.Kube.Config;

/// <summary>
/// A kubeconfig user's <c>exec</c> section (client.authentication.k8s.io ExecConfig): the
/// credential plugin to run, such as <c>aws eks get-token</c> or <c>gke-gcloud-auth-plugin</c>.
/// </summary>
public sealed record ExecCredentialPlugin
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";

    /// <summary>The program; a relative path with a '/' was resolved against its kubeconfig's folder.</summary>
    public required string Command { get; init; }

    /// <summary>Arguments, one element each, never joined into one string and split again.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Variables added to this process's environment for the plugin.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>The ExecCredential version the plugin is asked for and must answer in.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>Printed with a failure: how to install the plugin.</summary>
    public string? InstallHint { get; init; }

    /// <summary>Never, IfAvailable or Always; we never have a terminal, so Always is refused.</summary>
    public string InteractiveMode { get; init; } = "IfAvailable";

    /// <summary>Pass the cluster (server, CA) to the plugin in KUBERNETES_EXEC_INFO.</summary>
    public bool ProvideClusterInfo { get; init; }
}
