namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// memberlist's keyring: encrypt with the primary key, try every installed key when decrypting
/// so keys can be rotated without a flag day. Keys are AES-128, -192 or -256 (16, 24, 32 bytes).
/// </summary>
public sealed class Keyring
{
    private readonly byte[][] _keys;

    public Keyring(byte[] primary, params byte[][] others)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(others);
        _keys = [primary, .. others];
        foreach (var key in _keys)
        {
            if (key.Length is not (16 or 24 or 32))
                throw new ArgumentException("A memberlist key is 16, 24 or 32 bytes long.", nameof(primary));
        }
    }

    public byte[] Primary => _keys[0];

    public IReadOnlyList<byte[]> Keys => _keys;
}
