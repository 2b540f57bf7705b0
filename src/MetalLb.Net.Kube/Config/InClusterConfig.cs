using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MetalLb.Net.Kube.Config;

/// <summary>
/// The connection a pod gets from its service account: KUBERNETES_SERVICE_HOST/PORT, the
/// projected token (re-read as it rotates), the cluster CA and the pod's namespace.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>True when the environment variables and the token file of a pod are present.</summary>
    public static bool IsAvailable(string directory = DefaultDirectory, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"))
            && !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT"))
            && File.Exists(Path.Combine(directory, "token"));
    }

    /// <summary>
    /// Reads the in-cluster configuration. <paramref name="directory"/> and
    /// <paramref name="environment"/> exist so tests can stand in for a pod.
    /// </summary>
    public static KubeClientOptions Load(string directory = DefaultDirectory,
        Func<string, string?>? environment = null, TimeProvider? time = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string host = environment("KUBERNETES_SERVICE_HOST") ?? "";
        string port = environment("KUBERNETES_SERVICE_PORT") ?? "";
        if (host.Length == 0 || port.Length == 0)
            throw new KubeConfigException("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        string tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
            throw new KubeConfigException($"not in a cluster: no service account token at {tokenPath}");
        // An IPv6 service address needs brackets in a URL.
        string authority = IPAddress.TryParse(host, out IPAddress? ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host}]:{port}" : $"{host}:{port}";
        var roots = new X509Certificate2Collection();
        string caPath = Path.Combine(directory, "ca.crt");
        if (File.Exists(caPath))
            roots.ImportFromPemFile(caPath);
        string nsPath = Path.Combine(directory, "namespace");
        return new KubeClientOptions
        {
            Server = new Uri($"https://{authority}"),
            Namespace = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : "default",
            CertificateAuthorities = roots,
            Token = new FileTokenSource(tokenPath, time ?? TimeProvider.System),
        };
    }

    /// <summary>In-cluster when running in a pod, else the kubeconfig (KUBECONFIG or ~/.kube/config).</summary>
    public static KubeClientOptions LoadDefault(string? context = null) =>
        IsAvailable() ? Load() : KubeConfigLoader.Load(context);
}
