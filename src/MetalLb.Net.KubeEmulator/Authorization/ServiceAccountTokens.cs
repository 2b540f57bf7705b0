using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MetalLb.Net.KubeEmulator.Authorization;

/// <summary>
/// Tokens for ServiceAccounts, issued by the TokenRequest API or the emulator's helper. They are
/// shaped like the real bound tokens (a signed JWT with the same claims, so a person decoding one
/// sees what they expect) but checked by lookup: a token is valid until it expires and while its
/// ServiceAccount exists with the uid it was issued for, as a bound token is.
/// </summary>
internal sealed class ServiceAccountTokens(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Issued> _tokens = new(StringComparer.Ordinal);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public sealed record Issued(string Namespace, string Name, string Uid, DateTimeOffset Expires);

    public (string Token, DateTimeOffset Expires) Issue(string ns, string name, string uid, TimeSpan lifetime, IEnumerable<string> audiences)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(audiences.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = "https://kubernetes.default.svc.cluster.local",
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
            },
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = $"system:serviceaccount:{ns}:{name}",
        };
        string unsigned = $"{Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8)}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        string token = $"{unsigned}.{Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(unsigned)))}";
        _tokens[token] = new Issued(ns, name, uid, expires);
        return (token, expires);
    }

    /// <summary>The ServiceAccount a token was issued for, or null (unknown or expired).</summary>
    public Issued? Find(string token) =>
        _tokens.TryGetValue(token, out var issued) && issued.Expires > time.GetUtcNow() ? issued : null;

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
