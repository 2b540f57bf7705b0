using System.Security.Cryptography;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Wire;

public sealed class EncryptionTests
{
    [Fact]
    public void Derives_the_key_as_upstream_metallb_does()
    {
        // 22 base64 characters (16 random bytes, raw encoding) + the first 10 bytes of SHA-256("").
        var key = SecretKey.FromMetalLbSecret("AAECAwQFBgcICQoLDA0ODw");
        Assert.Equal(32, key.Length);
        Assert.Equal("AAECAwQFBgcICQoLDA0ODw"u8.ToArray(), key[..22]);
        Assert.Equal("e3b0c44298fc1c149afb", Convert.ToHexStringLower(key[22..]));
    }

    [Fact]
    public void A_long_secret_is_truncated_not_hashed()
    {
        var secret = new string('k', 40);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(secret[..32]), SecretKey.FromMetalLbSecret(secret));
    }

    [Fact]
    public void Round_trips_with_any_installed_key()
    {
        var old = RandomNumberGenerator.GetBytes(32);
        var current = RandomNumberGenerator.GetBytes(32);
        var sealedBytes = Encryption.Encrypt(old, "hello"u8);
        Assert.Equal(1, sealedBytes[0]);
        Assert.Equal(Encryption.Overhead + 5, sealedBytes.Length);
        Assert.True(Encryption.TryDecrypt(new Keyring(current, old), sealedBytes, default, out var plain));
        Assert.Equal("hello"u8.ToArray(), plain);
    }

    [Fact]
    public void Refuses_a_wrong_key_and_a_flipped_bit()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedBytes = Encryption.Encrypt(key, "hello"u8);
        Assert.False(Encryption.TryDecrypt(new Keyring(RandomNumberGenerator.GetBytes(32)), sealedBytes, default, out _));
        sealedBytes[^1] ^= 1;
        Assert.False(Encryption.TryDecrypt(new Keyring(key), sealedBytes, default, out _));
    }

    [Fact]
    public void Reads_version_0_padded_payloads()
    {
        // Version 0 (protocol 1 peers): PKCS#7 padding inside the ciphertext.
        var key = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(12);
        byte[] padded = [.. "hello"u8, .. Enumerable.Repeat((byte)11, 11)];
        var cipher = new byte[padded.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
            gcm.Encrypt(nonce, padded, cipher, tag);
        byte[] payload = [0, .. nonce, .. cipher, .. tag];
        Assert.True(Encryption.TryDecrypt(new Keyring(key), payload, default, out var plain));
        Assert.Equal("hello"u8.ToArray(), plain);
    }

    [Fact]
    public void Stream_frames_authenticate_their_header()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var frame = StreamFrame.Encode(StreamFrame.EncodePushPull(new PushPullHeader(0, 0, false), []), compress: true, new Keyring(key));
        Assert.Equal((byte)MessageType.Encrypt, frame[0]);
        Assert.Equal(System.Buffers.OperationStatus.Done, StreamFrame.TryRead(frame, new Keyring(key), out var message, out _));
        Assert.Equal(MessageType.PushPull, message!.Type);
        var tampered = (byte[])frame.Clone();
        tampered[^1] ^= 0x80;   // the GCM tag no longer matches
        Assert.Equal(System.Buffers.OperationStatus.InvalidData, StreamFrame.TryRead(tampered, new Keyring(key), out _, out var error));
        Assert.Equal(PacketError.Decrypt, error);
    }
}
