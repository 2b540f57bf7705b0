using System.Text;
using MetalLb.Net.Api.Core;
using MetalLb.Net.Api.MetalLb;

namespace MetalLb.Net.Core.Config;

/// <summary>R9: the BGP password from a passwordSecret reference.</summary>
internal static class PeerSecrets
{
    private const string BasicAuth = "kubernetes.io/basic-auth";

    /// <summary>
    /// The Secret must exist (missing is transient: it may be created later), be of type
    /// kubernetes.io/basic-auth and hold key "password" (stringData wins over data, as the API
    /// server merges it in on write; data is base64).
    /// </summary>
    public static string? Password(SecretReference reference, IReadOnlyList<Secret> secrets, Action<string, bool> problem)
    {
        var secret = secrets.FirstOrDefault(s => s.Metadata.Name == reference.Name
            && (string.IsNullOrEmpty(reference.Namespace) || string.IsNullOrEmpty(s.Metadata.Namespace) || s.Metadata.Namespace == reference.Namespace));
        if (secret is null)
        {
            problem($"secret ref not found for peer config: Secret \"{reference.Name}\" does not exist in the MetalLB namespace", true);
            return null;
        }
        if (secret.Type != BasicAuth)
        {
            problem($"secret type mismatch on \"{secret.Metadata.Name}\", type \"{BasicAuth}\" is expected", false);
            return null;
        }
        if (secret.StringData?.TryGetValue("password", out string? plain) == true) return plain;
        if (secret.Data?.TryGetValue("password", out string? encoded) == true)
        {
            var bytes = new byte[encoded.Length];
            if (Convert.TryFromBase64String(encoded, bytes, out int written))
                return Encoding.UTF8.GetString(bytes, 0, written);
            problem($"password in the secret \"{secret.Metadata.Name}\" is not valid base64", false);
            return null;
        }
        problem($"password not specified in the secret \"{secret.Metadata.Name}\": add key \"password\"", false);
        return null;
    }
}
