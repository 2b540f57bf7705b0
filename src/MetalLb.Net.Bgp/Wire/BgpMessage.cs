namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// A decoded BGP message. Each knows its encoded size and writes itself, header included,
/// into a caller's span (no hidden allocation on the send path).
/// </summary>
public abstract class BgpMessage
{
    public abstract BgpMessageType Type { get; }

    /// <summary>Size on the wire, 19-byte header included.</summary>
    public int GetEncodedLength() => BgpHeader.Size + GetBodyLength();

    /// <summary>Writes header and body; returns the bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        var length = GetEncodedLength();
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, length);
        BgpHeader.Write(destination, length, Type);
        var body = WriteBody(destination[BgpHeader.Size..]);
        System.Diagnostics.Debug.Assert(body == length - BgpHeader.Size);
        return length;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[GetEncodedLength()];
        Encode(bytes);
        return bytes;
    }

    protected abstract int GetBodyLength();
    protected abstract int WriteBody(Span<byte> destination);
}
