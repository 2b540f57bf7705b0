using System.Buffers.Binary;
using System.Text;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// Reads the msgpack subset memberlist peers send. Liberal in what it accepts (str8 and bin
/// from newer encoders, signed ints that are non-negative, nil for empty) because a newer
/// memberlist or another implementation may choose other forms for the same values. Every
/// read returns false on malformed or short input; <see cref="Truncated"/> tells the two apart
/// so a stream reader knows to wait for more bytes.
/// </summary>
internal ref struct MsgPackReader(ReadOnlySpan<byte> source)
{
    private const int MaxSkipDepth = 32;
    private readonly ReadOnlySpan<byte> _source = source;

    public int Position { get; private set; }

    /// <summary>Set when a read failed because the input ended, not because it was invalid.</summary>
    public bool Truncated { get; private set; }

    public readonly int Remaining => _source.Length - Position;

    public bool TryReadMapHeader(out int count)
    {
        count = 0;
        if (!TryPeek(out var b))
            return false;
        if ((b & 0xf0) == 0x80)
        {
            Position++;
            count = b & 0x0f;
            return true;
        }
        if (b == 0xde && TryReadBigEndian(1, 2, out var c16))
        {
            count = (int)c16;
            return true;
        }
        if (b == 0xdf && TryReadBigEndian(1, 4, out var c32) && c32 <= int.MaxValue)
        {
            count = (int)c32;
            return true;
        }
        return false;
    }

    public bool TryReadUInt(out ulong value)
    {
        value = 0;
        if (!TryPeek(out var b))
            return false;
        if (b <= 0x7f)
        {
            Position++;
            value = b;
            return true;
        }
        switch (b)
        {
            case 0xcc: return TryReadBigEndian(1, 1, out value);
            case 0xcd: return TryReadBigEndian(1, 2, out value);
            case 0xce: return TryReadBigEndian(1, 4, out value);
            case 0xcf: return TryReadBigEndian(1, 8, out value);
            case 0xd0: return TryReadSigned(1, out value);
            case 0xd1: return TryReadSigned(2, out value);
            case 0xd2: return TryReadSigned(4, out value);
            case 0xd3: return TryReadSigned(8, out value);
            default: return false;
        }
    }

    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (!TryReadUInt(out var wide) || wide > uint.MaxValue)
            return false;
        value = (uint)wide;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (!TryReadUInt(out var wide) || wide > ushort.MaxValue)
            return false;
        value = (ushort)wide;
        return true;
    }

    public bool TryReadBool(out bool value)
    {
        value = false;
        if (!TryPeek(out var b))
            return false;
        if (b is not (0xc2 or 0xc3))
            return false;
        Position++;
        value = b == 0xc3;
        return true;
    }

    public bool TryReadBytes(out byte[] value)
    {
        value = [];
        if (!TryReadRaw(out var span))
            return false;
        value = span.ToArray();
        return true;
    }

    public bool TryReadString(out string value)
    {
        value = string.Empty;
        if (!TryReadRaw(out var span))
            return false;
        value = Encoding.UTF8.GetString(span);
        return true;
    }

    /// <summary>Skips one value of any type, so unknown struct fields from newer peers are ignored.</summary>
    public bool TrySkip() => TrySkip(0);

    private bool TrySkip(int depth)
    {
        if (depth > MaxSkipDepth || !TryPeek(out var b))
            return false;
        if (b <= 0x7f || b >= 0xe0 || b is 0xc0 or 0xc2 or 0xc3)
            return Advance(1);
        if ((b & 0xe0) == 0xa0)
            return Advance(1 + (b & 0x1f));
        if ((b & 0xf0) is 0x80 or 0x90)
        {
            Position++;
            var n = (b & 0x0f) * ((b & 0xf0) == 0x80 ? 2 : 1);
            return SkipMany(n, depth);
        }
        switch (b)
        {
            case 0xcc or 0xd0: return Advance(2);
            case 0xcd or 0xd1: return Advance(3);
            case 0xce or 0xd2 or 0xca: return Advance(5);
            case 0xcf or 0xd3 or 0xcb: return Advance(9);
            case 0xd9 or 0xc4 or 0xda or 0xdb or 0xc5 or 0xc6:
                return TryReadRaw(out _);
            case 0xd4: return Advance(3);
            case 0xd5: return Advance(4);
            case 0xd6: return Advance(6);
            case 0xd7: return Advance(10);
            case 0xd8: return Advance(18);
            case 0xc7: return TryReadBigEndian(1, 1, out var e8) && Advance((int)e8 + 1);
            case 0xc8: return TryReadBigEndian(1, 2, out var e16) && Advance((int)e16 + 1);
            case 0xc9: return TryReadBigEndian(1, 4, out var e32) && e32 < int.MaxValue && Advance((int)e32 + 1);
            case 0xdc: return TryReadBigEndian(1, 2, out var a16) && SkipMany((int)a16, depth);
            case 0xdd: return TryReadBigEndian(1, 4, out var a32) && a32 < int.MaxValue && SkipMany((int)a32, depth);
            case 0xde: return TryReadBigEndian(1, 2, out var m16) && SkipMany((int)m16 * 2, depth);
            case 0xdf: return TryReadBigEndian(1, 4, out var m32) && m32 < int.MaxValue / 2 && SkipMany((int)m32 * 2, depth);
            default: return false;
        }
    }

    private bool SkipMany(int count, int depth)
    {
        for (var i = 0; i < count; i++)
        {
            if (!TrySkip(depth + 1))
                return false;
        }
        return true;
    }

    private bool TryReadRaw(out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryPeek(out var b))
            return false;
        ulong length;
        if ((b & 0xe0) == 0xa0)
        {
            Position++;
            length = (ulong)(b & 0x1f);
        }
        else if (b == 0xc0)
        {
            Position++;   // nil: Go writes a nil slice this way
            return true;
        }
        else if (b is 0xd9 or 0xc4)
        {
            if (!TryReadBigEndian(1, 1, out length))
                return false;
        }
        else if (b is 0xda or 0xc5)
        {
            if (!TryReadBigEndian(1, 2, out length))
                return false;
        }
        else if (b is 0xdb or 0xc6)
        {
            if (!TryReadBigEndian(1, 4, out length))
                return false;
        }
        else
        {
            return false;
        }
        if (length > (ulong)Remaining)
        {
            Truncated = true;
            return false;
        }
        value = _source.Slice(Position, (int)length);
        Position += (int)length;
        return true;
    }

    private bool TryPeek(out byte value)
    {
        value = 0;
        if (Position >= _source.Length)
        {
            Truncated = true;
            return false;
        }
        value = _source[Position];
        return true;
    }

    private bool Advance(int count)
    {
        if (count > Remaining)
        {
            Truncated = true;
            return false;
        }
        Position += count;
        return true;
    }

    // Reads a big-endian integer of `size` bytes after `skip` prefix bytes.
    private bool TryReadBigEndian(int skip, int size, out ulong value)
    {
        value = 0;
        if (Remaining < skip + size)
        {
            Truncated = true;
            return false;
        }
        var span = _source.Slice(Position + skip, size);
        value = size switch
        {
            1 => span[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(span),
            4 => BinaryPrimitives.ReadUInt32BigEndian(span),
            _ => BinaryPrimitives.ReadUInt64BigEndian(span),
        };
        Position += skip + size;
        return true;
    }

    private bool TryReadSigned(int size, out ulong value)
    {
        value = 0;
        var start = Position;
        if (!TryReadBigEndian(1, size, out var raw))
            return false;
        var signed = size switch
        {
            1 => (long)(sbyte)raw,
            2 => (short)raw,
            4 => (int)raw,
            _ => (long)raw,
        };
        if (signed < 0)
        {
            Position = start;
            return false;
        }
        value = (ulong)signed;
        return true;
    }
}
