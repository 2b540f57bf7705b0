using System.Security.Cryptography.X509Certificates;
using System.Text;
using MetalLb.Net.Api.Core;

namespace MetalLb.Net.Controller.Webhooks;

/// <summary>
/// What the Secret metallb-webhook-cert holds, in PEM: ca.crt is the bundle every client must
/// trust (the current CA first, then a next CA being introduced, then older CAs until they
/// expire), ca.key the current CA's key, tls.crt/tls.key the serving certificate. upstream's
/// cert-controller uses the same four keys; next-ca.crt/next-ca.key exist only while a new CA
/// is published ahead of being used.
/// </summary>
internal sealed record CertificateMaterial(
    string Bundle, string CaKey, string ServingCert, string ServingKey, string? NextCa = null, string? NextCaKey = null)
{
    public const string BundleKey = "ca.crt";
    public const string CaKeyKey = "ca.key";
    public const string ServingCertKey = "tls.crt";
    public const string ServingKeyKey = "tls.key";
    public const string NextCaKey_ = "next-ca.crt";
    public const string NextCaKeyKey = "next-ca.key";

    /// <summary>The Secret's data (base64 values), or null when it lacks a key or a value is not base64.</summary>
    public static CertificateMaterial? FromSecretData(IReadOnlyDictionary<string, string>? data)
    {
        if (data is null) return null;
        string? Get(string key) => data.TryGetValue(key, out var v) && TryDecode(v, out var text) ? text : null;
        if (Get(BundleKey) is not { } bundle || Get(CaKeyKey) is not { } caKey
            || Get(ServingCertKey) is not { } cert || Get(ServingKeyKey) is not { } key)
            return null;
        return new CertificateMaterial(bundle, caKey, cert, key, Get(NextCaKey_), Get(NextCaKeyKey));
    }

    public Dictionary<string, string> ToSecretData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BundleKey] = Encode(Bundle),
            [CaKeyKey] = Encode(CaKey),
            [ServingCertKey] = Encode(ServingCert),
            [ServingKeyKey] = Encode(ServingKey),
        };
        if (NextCa is not null && NextCaKey is not null)
        {
            data[NextCaKey_] = Encode(NextCa);
            data[NextCaKeyKey] = Encode(NextCaKey);
        }
        return data;
    }

    /// <summary>The CA certificates of <see cref="Bundle"/>, current first.</summary>
    public IReadOnlyList<X509Certificate2> BundleCertificates() => ParseBundle(Bundle);

    public static IReadOnlyList<X509Certificate2> ParseBundle(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return [.. collection];
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static bool TryDecode(string value, out string text)
    {
        text = "";
        var bytes = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, bytes, out int n)) return false;
        text = Encoding.ASCII.GetString(bytes, 0, n);
        return true;
    }
}
