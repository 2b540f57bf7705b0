using System.Security.Cryptography.X509Certificates;

namespace MetalLb.Net.Kube.Config;

/// <summary>
/// Everything needed to reach one API server, whether it came from a kubeconfig context or
/// from the in-cluster service account.
/// </summary>
public sealed class KubeClientOptions
{
    /// <summary>https://host:port (or http:// for a test server).</summary>
    public required Uri Server { get; init; }

    /// <summary>The namespace requests use when the caller names none. <value>"default" by default.</value></summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Roots to trust for the server certificate; empty means the system store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    /// <summary>A client certificate with its private key, for x509 authentication.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Where the bearer token comes from, if any.</summary>
    public ITokenSource? Token { get; init; }

    /// <summary>Accept any server certificate (kubeconfig insecure-skip-tls-verify).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to check the server certificate against instead of the URL host (tls-server-name).</summary>
    public string? TlsServerName { get; init; }
}
