using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MetalLb.Net.Kube.Tests;

/// <summary>A throwaway CA and a certificate signed by it, made fresh per test run.</summary>
internal sealed class TestCerts : IDisposable
{
    public TestCerts(string subject = "localhost")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        LeafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={subject}", LeafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using X509Certificate2 signed = leafRequest.Create(Ca, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4]);
        Leaf = signed.CopyWithPrivateKey(LeafKey);
    }

    public X509Certificate2 Ca { get; }
    public X509Certificate2 Leaf { get; }
    public ECDsa LeafKey { get; }

    public string CaPem => Ca.ExportCertificatePem();
    public string LeafPem => Leaf.ExportCertificatePem();
    public string LeafKeyPem => LeafKey.ExportPkcs8PrivateKeyPem();

    public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        Ca.Dispose();
        Leaf.Dispose();
        LeafKey.Dispose();
    }
}
