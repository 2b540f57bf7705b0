using System.Security.Cryptography;
using System.Text;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>The gossip encryption key as upstream MetalLB derives it from the memberlist Secret.</summary>
public static class SecretKey
{
    /// <summary>
    /// Upstream's speaker calls Go's <c>sha256.New().Sum(secret)</c>, which appends the hash of the
    /// empty input to the secret instead of hashing it, and uses the first 32 bytes as the AES-256
    /// key (docs/upstream-speaker.md §5). A 22-character secret therefore gives its own 22 bytes
    /// followed by the first 10 bytes of SHA-256(""). We reproduce the quirk so we can talk to
    /// upstream speakers.
    /// </summary>
    public static byte[] FromMetalLbSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = Encoding.UTF8.GetBytes(secret);
        var joined = new byte[text.Length + 32];
        text.CopyTo(joined, 0);
        SHA256.HashData(ReadOnlySpan<byte>.Empty).CopyTo(joined, text.Length);
        return joined[..32];
    }
}
