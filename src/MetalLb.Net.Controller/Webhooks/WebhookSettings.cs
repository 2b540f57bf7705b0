using System.Security.Authentication;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>How the controller serves its validating and conversion webhooks (upstream's flags, docs/webhooks.md).</summary>
public sealed record WebhookSettings
{
    /// <summary>Upstream's names: the Secret, the Service in the certificate, the webhook configuration, the CRD.</summary>
    public const string DefaultSecretName = "metallb-webhook-cert";
    public const string DefaultServiceName = "metallb-webhook-service";
    public const string ConfigurationName = "metallb-webhook-configuration";
    public const string ConvertedCrd = "bgppeers.metallb.io";
    public const string DefaultCertDir = "/tmp/k8s-webhook-server/serving-certs";
    public const int DefaultPort = 9443;

    /// <summary>--webhook-mode=enabled or onlywebhook.</summary>
    public bool Enabled { get; init; } = true;

    public string Namespace { get; init; } = "metallb-system";

    /// <summary>9443, where upstream's Service sends port 443.</summary>
    public int Port { get; init; } = DefaultPort;

    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>--disable-cert-rotation: serve tls.crt and tls.key from <see cref="CertDir"/>, made by someone else (cert-manager).</summary>
    public bool DisableCertRotation { get; init; }

    public string CertDir { get; init; } = DefaultCertDir;

    /// <summary>--cert-service-name: the certificate is for &lt;service&gt;.&lt;namespace&gt;.svc.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>--webhook-secret.</summary>
    public string SecretName { get; init; } = DefaultSecretName;

    /// <summary>--tls-min-version: VersionTLS13 unless told VersionTLS12, as upstream.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls13;

    /// <summary>--webhook-http2: off by default, as upstream (HTTP/2 rapid-reset advisories).</summary>
    public bool Http2 { get; init; }

    /// <summary>
    /// --cert-validity: lifetime of a serving certificate; renewed when a third is left. The CA
    /// lives four times as long and is replaced at half its life (docs/webhooks.md).
    /// <value>365 days by default.</value>
    /// </summary>
    public TimeSpan CertValidity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>How often each replica re-reads the Secret and the injected bundles.</summary>
    public TimeSpan CheckInterval =>
        TimeSpan.FromTicks(Math.Clamp(CertValidity.Ticks / 12, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromMinutes(1).Ticks));

    /// <summary>The DNS names the API server may use for the Service.</summary>
    public IReadOnlyList<string> DnsNames =>
    [
        $"{ServiceName}.{Namespace}.svc", $"{ServiceName}.{Namespace}.svc.cluster.local", $"{ServiceName}.{Namespace}", ServiceName,
    ];
}
