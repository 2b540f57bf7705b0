using System.Buffers.Binary;

namespace MetalLb.Net.Gossip.Wire;

/* memberlist compound message
   | compoundMsg (1) | count (1) | length (2, BE) x count | message x count |
   Each message starts with its own type byte. */
internal static class CompoundMessage
{
    public const int HeaderOverhead = 2;
    public const int PerMessageOverhead = 2;
    public const int MaxParts = 255;

    public static byte[] Encode(IReadOnlyList<byte[]> parts)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts.Count, MaxParts);
        var total = HeaderOverhead + PerMessageOverhead * parts.Count + parts.Sum(p => p.Length);
        var buffer = new byte[total];
        buffer[0] = (byte)MessageType.Compound;
        buffer[1] = (byte)parts.Count;
        var offset = HeaderOverhead;
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset), checked((ushort)part.Length));
            offset += 2;
        }
        foreach (var part in parts)
        {
            part.CopyTo(buffer.AsSpan(offset));
            offset += part.Length;
        }
        return buffer;
    }

    /// <summary>
    /// Splits the body after the type byte. Like memberlist, parts cut short by the end of the
    /// packet are dropped (and counted in <paramref name="truncated"/>) while the complete ones are kept.
    /// </summary>
    public static bool TrySplit(ReadOnlyMemory<byte> body, List<ReadOnlyMemory<byte>> parts, out int truncated)
    {
        truncated = 0;
        var span = body.Span;
        if (span.Length < 1)
            return false;
        int count = span[0];
        if (span.Length < 1 + 2 * count)
            return false;
        var offset = 1 + 2 * count;
        for (var i = 0; i < count; i++)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(span[(1 + 2 * i)..]);
            if (body.Length - offset < length)
            {
                truncated = count - i;
                return true;
            }
            parts.Add(body.Slice(offset, length));
            offset += length;
        }
        return true;
    }
}
