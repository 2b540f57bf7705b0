using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MetalLb.Net.Gossip.Wire;

/* memberlist encrypted payload (security.go)
   | version (1) | nonce (12) | ciphertext | GCM tag (16) |
   version 0 pads the plaintext with PKCS#7 to the AES block size, version 1 does not. Packets
   use no additional data; a stream frame is
   | encryptMsg (1) | length (4, BE) | payload |   with the first 5 bytes as additional data. */
internal static class Encryption
{
    public const int VersionSize = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int StreamHeaderSize = 5;

    /// <summary>memberlist speaks protocol 2 and above with version 1 (no padding); so do we.</summary>
    public const byte CurrentVersion = 1;

    public static int Overhead => VersionSize + NonceSize + TagSize;

    public static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> additionalData = default)
    {
        var output = new byte[Overhead + plaintext.Length];
        output[0] = CurrentVersion;
        var nonce = output.AsSpan(VersionSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(VersionSize + NonceSize, plaintext.Length),
            output.AsSpan(VersionSize + NonceSize + plaintext.Length), additionalData);
        return output;
    }

    /// <summary>Tries each key in turn; false when none authenticates the payload.</summary>
    public static bool TryDecrypt(Keyring keyring, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> additionalData, out byte[] plaintext)
    {
        plaintext = [];
        if (payload.Length <= Overhead || payload[0] > 1)
            return false;
        var version = payload[0];
        var nonce = payload.Slice(VersionSize, NonceSize);
        var cipher = payload[(VersionSize + NonceSize)..^TagSize];
        var tag = payload[^TagSize..];
        var buffer = new byte[cipher.Length];
        foreach (var key in keyring.Keys)
        {
            try
            {
                using var gcm = new AesGcm(key, TagSize);
                gcm.Decrypt(nonce, cipher, tag, buffer, additionalData);
            }
            catch (AuthenticationTagMismatchException)
            {
                continue;   // not this key: memberlist tries them all before giving up
            }
            if (version == 0)
            {
                // PKCS#7: the last byte says how many padding bytes to drop.
                var pad = buffer.Length == 0 ? 0 : buffer[^1];
                if (pad is 0 or > 16 || pad > buffer.Length)
                    return false;
                plaintext = buffer[..^pad];
            }
            else
            {
                plaintext = buffer;
            }
            return true;
        }
        return false;
    }

    public static byte[] EncryptStream(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        Span<byte> header = stackalloc byte[StreamHeaderSize];
        header[0] = (byte)MessageType.Encrypt;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)(Overhead + plaintext.Length));
        var payload = Encrypt(key, plaintext, header);
        return [.. header, .. payload];
    }
}
