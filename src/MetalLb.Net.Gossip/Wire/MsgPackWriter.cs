using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// The subset of msgpack that memberlist writes: maps with string keys, unsigned integers,
/// booleans, nil and raw strings. memberlist encodes with go-msgpack's default handle, which
/// writes both strings and []byte as the old "raw" family (fixraw, raw16, raw32) and never
/// str8 or bin; we write the same so a Go peer of any version decodes us.
/// </summary>
internal sealed class MsgPackWriter(IBufferWriter<byte> output)
{
    public void WriteMapHeader(int count)
    {
        if (count < 16)
        {
            WriteByte((byte)(0x80 | count));
        }
        else
        {
            var span = output.GetSpan(3);
            span[0] = 0xde;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], checked((ushort)count));
            output.Advance(3);
        }
    }

    public void WriteUInt(ulong value)
    {
        // Smallest form, as go-msgpack does for every unsigned and non-negative int.
        if (value <= 0x7f)
        {
            WriteByte((byte)value);
        }
        else if (value <= byte.MaxValue)
        {
            var span = output.GetSpan(2);
            span[0] = 0xcc;
            span[1] = (byte)value;
            output.Advance(2);
        }
        else if (value <= ushort.MaxValue)
        {
            var span = output.GetSpan(3);
            span[0] = 0xcd;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            output.Advance(3);
        }
        else if (value <= uint.MaxValue)
        {
            var span = output.GetSpan(5);
            span[0] = 0xce;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            output.Advance(5);
        }
        else
        {
            var span = output.GetSpan(9);
            span[0] = 0xcf;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            output.Advance(9);
        }
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)0xc3 : (byte)0xc2);

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteRawHeader(length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteRawHeader(value.Length);
        output.Write(value);
    }

    /// <summary>A map key followed by its value is the shape of every memberlist struct.</summary>
    public void WriteKey(string name) => WriteString(name);

    private void WriteRawHeader(int length)
    {
        if (length < 32)
        {
            WriteByte((byte)(0xa0 | length));
        }
        else if (length < 65536)
        {
            var span = output.GetSpan(3);
            span[0] = 0xda;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            output.Advance(3);
        }
        else
        {
            var span = output.GetSpan(5);
            span[0] = 0xdb;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            output.Advance(5);
        }
    }

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
