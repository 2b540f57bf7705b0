using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MetalLb.Net.Kube.Config;

namespace MetalLb.Net.Kube.Rest;

/// <summary>Builds the one SocketsHttpHandler a client uses, with its TLS settings.</summary>
internal static class KubeHttp
{
    public static SocketsHttpHandler CreateHandler(KubeClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Watches are long-lived; a few extra connections let lists and writes proceed beside them.
            MaxConnectionsPerServer = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
        };
        var ssl = new SslClientAuthenticationOptions();
        if (!string.IsNullOrEmpty(options.TlsServerName))
            ssl.TargetHost = options.TlsServerName;
        if (options.ClientCertificate is not null)
            ssl.ClientCertificates = [options.ClientCertificate];
        if (options.InsecureSkipTlsVerify)
        {
            // The user asked for it by name (kubeconfig insecure-skip-tls-verify: true).
#pragma warning disable CA5359
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (options.CertificateAuthorities.Count > 0)
            ssl.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                ValidateAgainst(options.CertificateAuthorities, cert, errors, options.TlsServerName);
        handler.SslOptions = ssl;
        return handler;
    }

    // The kubeconfig CA replaces the system roots rather than adding to them, as in client-go:
    // a cluster's certificate must chain to the CA the kubeconfig names, nothing else.
    // With tls-server-name the platform still compares the certificate with the URL's host
    // (SocketsHttpHandler takes the TLS target host from the request), so that name check is
    // ours: the certificate must name tls-server-name instead.
    private static bool ValidateAgainst(
        X509Certificate2Collection roots, X509Certificate? presented, SslPolicyErrors errors, string? serverName)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var cert = new X509Certificate2(presented);
        bool nameOk = string.IsNullOrEmpty(serverName)
            ? !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            : cert.MatchesHostname(serverName);
        if (!nameOk)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }
}
