using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// Decides the next content of the certificate Secret from its current content and the time;
/// null when nothing needs to change. No I/O: the rotator reads, calls this, writes.
///
/// The rule that keeps every request working through a rotation: a serving certificate is
/// only ever signed by a CA that the injected caBundle already holds. So a new CA goes
/// through two writes: first it is added to the bundle (next-ca), and only once the API
/// server's configurations carry it does it become the current CA and sign serving
/// certificates; the old CA stays in the bundle until it expires, for replicas that still
/// serve a certificate it signed.
/// </summary>
internal static class CertificatePlanner
{
    /// <summary>Certificates start this much in the past, for clocks a little behind ours.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public static CertificateMaterial? Next(CertificateMaterial? existing, DateTimeOffset now, WebhookSettings settings, bool nextCaInjected)
    {
        var state = existing is null ? null : Parse(existing);
        TimeSpan certLife = settings.CertValidity, caLife = settings.CertValidity * 4;
        if (state is null || Utc(state.Current.NotAfter) <= now.UtcDateTime)
        {
            var ca = NewCa(now, caLife);
            return Material([ca.Cert], ca, NewServing(ca, now, certLife, settings), next: null);
        }
        var current = state.CurrentKeyed;
        var next = state.Next;
        bool changed = false;
        // A CA past half its life is replaced: first published, then (once injected) used.
        if (next is null && Utc(state.Current.NotAfter) - now.UtcDateTime < caLife / 2)
        {
            next = NewCa(now, caLife);
            changed = true;
        }
        else if (next is not null && nextCaInjected)
        {
            current = next;
            next = null;
            changed = true;
        }
        var serving = state.Serving;
        string servingCert = state.Material.ServingCert, servingKey = state.Material.ServingKey;
        bool promoted = !ReferenceEquals(current, state.CurrentKeyed);
        if (promoted || ServingDue(serving, current.Cert, now, certLife, settings))
        {
            (servingCert, servingKey) = NewServing(current, now, certLife, settings);
            changed = true;
        }
        // The bundle: current, next, then every other CA still valid (old ones, for replicas
        // that have not reloaded yet). Expired ones leave.
        var bundle = new List<X509Certificate2> { current.Cert };
        if (next is not null) bundle.Add(next.Cert);
        foreach (var ca in state.Bundle)
        {
            if (Utc(ca.NotAfter) > now.UtcDateTime && !bundle.Any(b => b.Thumbprint == ca.Thumbprint))
                bundle.Add(ca);
        }
        string bundlePem = Pem(bundle);
        if (!changed && bundlePem == state.Material.Bundle) return null;
        return new CertificateMaterial(bundlePem, current.KeyPem, servingCert, servingKey,
            next is null ? null : next.Cert.ExportCertificatePem() + "\n", next?.KeyPem);
    }

    private static CertificateMaterial Material(List<X509Certificate2> bundle, KeyedCa current, (string Cert, string Key) serving, KeyedCa? next) =>
        new(Pem(bundle), current.KeyPem, serving.Cert, serving.Key, next is null ? null : next.Cert.ExportCertificatePem() + "\n", next?.KeyPem);

    private static bool ServingDue(X509Certificate2 serving, X509Certificate2 ca, DateTimeOffset now, TimeSpan life, WebhookSettings settings) =>
        Utc(serving.NotAfter) - now.UtcDateTime < life / 3
        || !SignedBy(serving, ca)
        || !settings.DnsNames.All(name => serving.MatchesHostname(name));

    public static bool SignedBy(X509Certificate2 cert, X509Certificate2 ca)
    {
        var aki = cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var ski = ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier;
        return aki is { } a && ski is not null && Convert.ToHexString(a.Span) == ski;
    }

    private sealed record KeyedCa(X509Certificate2 Cert, string KeyPem);

    private sealed record State(CertificateMaterial Material, IReadOnlyList<X509Certificate2> Bundle, X509Certificate2 Current,
        KeyedCa CurrentKeyed, KeyedCa? Next, X509Certificate2 Serving);

    /// <summary>The Secret's content, or null when any part is unreadable (then everything is made afresh).</summary>
    private static State? Parse(CertificateMaterial m)
    {
        try
        {
            var bundle = CertificateMaterial.ParseBundle(m.Bundle);
            if (bundle.Count == 0) return null;
            var current = bundle[0];
            using (var key = ECDsa.Create())
            {
                key.ImportFromPem(m.CaKey);
                using var pub = current.GetECDsaPublicKey();
                if (pub is null || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                    return null;
            }
            KeyedCa? next = null;
            if (m.NextCa is not null && m.NextCaKey is not null)
                next = new KeyedCa(X509Certificate2.CreateFromPem(m.NextCa), m.NextCaKey);
            var serving = X509Certificate2.CreateFromPem(m.ServingCert, m.ServingKey);
            return new State(m, bundle, current, new KeyedCa(current, m.CaKey), next, serving);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static KeyedCa NewCa(DateTimeOffset now, TimeSpan life)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A unique name per CA, so an old and a new one in the bundle never look alike.
        var request = new CertificateRequest(
            $"CN=metallb-webhook-ca-{now.ToUnixTimeMilliseconds()}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}, O=metallb",
            key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var cert = request.CreateSelfSigned(now - Skew, now + life);
        return new KeyedCa(X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert)), key.ExportPkcs8PrivateKeyPem());
    }

    private static (string Cert, string Key) NewServing(KeyedCa ca, DateTimeOffset now, TimeSpan life, WebhookSettings settings)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={settings.DnsNames[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string name in settings.DnsNames)
            names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Cert, true, false));
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(ca.KeyPem);
        var caEnd = new DateTimeOffset(Utc(ca.Cert.NotAfter), TimeSpan.Zero);
        DateTimeOffset notAfter = now + life < caEnd ? now + life : caEnd;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;   // a positive serial number
        using var cert = request.Create(ca.Cert.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now - Skew, notAfter, serial);
        return (cert.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem());
    }

    // X509Certificate2 reports validity in local time.
    public static DateTime Utc(DateTime time) => time.Kind == DateTimeKind.Utc ? time : time.ToUniversalTime();

    private static string Pem(IEnumerable<X509Certificate2> certs)
    {
        var text = new StringBuilder();
        foreach (var cert in certs)
            text.Append(cert.ExportCertificatePem()).Append('\n');
        return text.ToString();
    }
}
