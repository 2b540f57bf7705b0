using System.Security.Cryptography.X509Certificates;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// The certificate the webhook server presents, swapped whole when the Secret (or the cert
/// directory) changes. Kestrel asks for it on every handshake, so a rotation reaches the next
/// connection; connections already open keep the certificate they were made with.
/// </summary>
internal sealed class ServingCertificate
{
    private volatile X509Certificate2? _current;
    private string? _pem;

    public X509Certificate2? Current => _current;

    /// <summary>Loads the pair unless it is the one already served; true when the served certificate changed.</summary>
    public bool Update(string certPem, string keyPem)
    {
        string pem = certPem + keyPem;
        if (pem == _pem) return false;
        // Ephemeral keys are fine for TLS on Linux; the old certificate is not disposed, a
        // handshake may still be using it.
        _current = X509Certificate2.CreateFromPem(certPem, keyPem);
        _pem = pem;
        return true;
    }
}
