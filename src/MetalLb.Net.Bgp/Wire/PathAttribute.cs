using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// One path attribute as it is on the wire: flags, type code and the value bytes, kept raw so
/// unknown optional transitive attributes are passed through and re-encode to the same bytes.
/// </summary>
public sealed class PathAttribute(PathAttributeFlags flags, byte typeCode, ReadOnlyMemory<byte> value)
{
    public PathAttributeFlags Flags { get; } = flags;
    public byte TypeCode { get; } = typeCode;
    public PathAttributeType Type => (PathAttributeType)TypeCode;
    public ReadOnlyMemory<byte> Value { get; } = value;

    /// <summary>Builds an attribute, choosing the extended length bit only when the value needs it.</summary>
    public static PathAttribute Create(PathAttributeFlags flags, PathAttributeType type, ReadOnlyMemory<byte> value) =>
        new(value.Length > 255 ? flags | PathAttributeFlags.ExtendedLength : flags & ~PathAttributeFlags.ExtendedLength,
            (byte)type, value);

    public bool IsExtendedLength => (Flags & PathAttributeFlags.ExtendedLength) != 0;

    public int EncodedLength => (IsExtendedLength ? 4 : 3) + Value.Length;

    /* RFC 4271 §4.3
        0                   1
        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
       +---------------+---------------+
       |  Attr. Flags  |Attr. Type Code|
       +---------------+---------------+
       then Attribute Length: one octet, or two when the Extended Length bit is set. */
    /// <summary>Reads one attribute; false when its header or length overruns <paramref name="source"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PathAttribute? attribute, out int consumed)
    {
        attribute = null;
        consumed = 0;
        if (source.Length < 3)
            return false;
        var flags = (PathAttributeFlags)source[0];
        var extended = (flags & PathAttributeFlags.ExtendedLength) != 0;
        var header = extended ? 4 : 3;
        if (source.Length < header)
            return false;
        int length = extended ? BinaryPrimitives.ReadUInt16BigEndian(source[2..]) : source[2];
        if (length > source.Length - header)
            return false;
        attribute = new PathAttribute(flags, source[1], source.Slice(header, length).ToArray());
        consumed = header + length;
        return true;
    }

    public int Write(Span<byte> destination)
    {
        destination[0] = (byte)Flags;
        destination[1] = TypeCode;
        if (IsExtendedLength)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)Value.Length));
            Value.Span.CopyTo(destination[4..]);
        }
        else
        {
            destination[2] = checked((byte)Value.Length);
            Value.Span.CopyTo(destination[3..]);
        }
        return EncodedLength;
    }

    public override string ToString() => $"{Type}[{Flags}]({Convert.ToHexString(Value.Span)})";
}
