namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// memberlist's compress wrapper: a compressMsg byte, then a msgpack map {Algo, Buf} where Algo
/// 0 is LZW and Buf the compressed bytes, whose first byte is again a message type.
/// </summary>
internal static class Compression
{
    /// <summary>Algo values. Append only: values are on the wire.</summary>
    public const int LzwAlgo = 0;

    public static byte[] Wrap(ReadOnlySpan<byte> message)
    {
        var compressed = Lzw.Compress(message);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(compressed.Length + 16);
        buffer.GetSpan(1)[0] = (byte)MessageType.Compress;
        buffer.Advance(1);
        var writer = new MsgPackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.WriteKey("Algo");
        writer.WriteUInt(LzwAlgo);
        writer.WriteKey("Buf");
        writer.WriteBytes(compressed);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the {Algo, Buf} map (after the type byte) and decompresses Buf.</summary>
    public static bool TryUnwrap(ref MsgPackReader reader, int maxOutput, out byte[] message)
    {
        message = [];
        ulong algo = ulong.MaxValue;
        byte[] buf = [];
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "Algo" => r.TryReadUInt(out algo),
            "Buf" => r.TryReadBytes(out buf),
            _ => r.TrySkip(),
        });
        return ok && algo == LzwAlgo && Lzw.TryDecompress(buf, maxOutput, out message) && message.Length > 0;
    }
}
