using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>AS_PATH segment types (RFC 4271 §4.3). Append only: values are on the wire.</summary>
public enum AsPathSegmentType : byte
{
    AsSet = 1,
    AsSequence = 2,
}

/// <summary>One AS_PATH / AS4_PATH segment.</summary>
public sealed record AsPathSegment(AsPathSegmentType Type, IReadOnlyList<uint> Asns)
{
    /* RFC 4271 §4.3 (b), RFC 6793 §3: each segment is
       | segment type (1) | segment length in ASes (1) | ASes (2 or 4 octets each) |   */
    public static bool TryReadPath(ReadOnlySpan<byte> value, int asSize, out List<AsPathSegment> path)
    {
        path = [];
        while (!value.IsEmpty)
        {
            if (value.Length < 2)
                return false;
            var type = value[0];
            int count = value[1];
            // RFC 7606 §7.2: unknown segment type, zero-length or overrunning segment = malformed.
            if (type is not (1 or 2) || count == 0 || value.Length - 2 < count * asSize)
                return false;
            var asns = new uint[count];
            for (var i = 0; i < count; i++)
                asns[i] = asSize == 4
                    ? BinaryPrimitives.ReadUInt32BigEndian(value[(2 + 4 * i)..])
                    : BinaryPrimitives.ReadUInt16BigEndian(value[(2 + 2 * i)..]);
            path.Add(new AsPathSegment((AsPathSegmentType)type, asns));
            value = value[(2 + count * asSize)..];
        }
        return true;
    }

    public static byte[] Encode(IReadOnlyList<AsPathSegment> path, int asSize)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = new byte[path.Sum(s => 2 + s.Asns.Count * asSize)];
        var at = 0;
        foreach (var s in path)
        {
            bytes[at] = (byte)s.Type;
            bytes[at + 1] = checked((byte)s.Asns.Count);
            at += 2;
            foreach (var asn in s.Asns)
            {
                if (asSize == 4)
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), asn);
                else
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), asn > ushort.MaxValue ? OpenMessage.AsTrans : (ushort)asn);
                at += asSize;
            }
        }
        return bytes;
    }

    public override string ToString() =>
        Type == AsPathSegmentType.AsSet ? "{" + string.Join(',', Asns) + "}" : string.Join(' ', Asns);
}
