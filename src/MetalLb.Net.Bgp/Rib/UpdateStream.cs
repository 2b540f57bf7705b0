using System.Buffers.Binary;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Rib;

/// <summary>
/// Writes a <see cref="RibChanges"/> as UPDATE messages straight into a send buffer, as many
/// whole messages per call as fit, so 100,000 prefixes go out through one 64 KiB buffer with no
/// message or list object per UPDATE. Withdrawals first, then each attribute set and family
/// packed densely; the bytes are those <see cref="UpdateBuilder"/> would build (a test holds
/// the two together).
/// </summary>
public sealed class UpdateStream
{
    private readonly RibChanges _changes;
    private readonly UpdateEncodingContext _context;
    private readonly Dictionary<(int Group, Afi Afi), GroupAttributes> _groups = [];
    private int _next; // over withdrawals, then announcements

    internal UpdateStream(RibChanges changes, UpdateEncodingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _changes = changes;
        _context = context;
    }

    public bool IsDone => _next == _changes.WithdrawnCount + _changes.AnnouncedCount;

    /// <summary>UPDATE messages written so far.</summary>
    public int Messages { get; private set; }

    /// <summary>Writes whole UPDATEs into <paramref name="destination"/>; the bytes written, 0 when done.</summary>
    public int Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, _context.MaxMessageLength);
        var at = 0;
        while (!IsDone && destination.Length - at >= _context.MaxMessageLength)
        {
            at += _next < _changes.WithdrawnCount
                ? WriteWithdraw(destination[at..])
                : WriteAnnounce(destination[at..]);
            Messages++;
        }
        return at;
    }

    /* RFC 4271 §4.3 withdrawal: Withdrawn Routes Length | Withdrawn Routes | Total Path Attribute
       Length = 0. IPv6 (RFC 4760 §4): no withdrawn routes, one MP_UNREACH_NLRI attribute
       (AFI 2, SAFI 1, the prefixes). */
    private int WriteWithdraw(Span<byte> message)
    {
        var sent = _changes.Sent;
        var positions = _changes.WithdrawnPositions;
        var afi = sent.PrefixAt(positions[_next]).Afi;
        var room = _context.MaxMessageLength - BgpHeader.Size - 4 - (afi == Afi.IPv6 ? 4 + 3 : 0);
        var end = Fit(sent, positions, _next, positions.Length, afi, room, out var nlriBytes);
        var body = message[BgpHeader.Size..];
        int length;
        if (afi == Afi.IPv4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)nlriBytes);
            var at = 2 + WritePrefixes(sent, positions[_next..end], body[2..]);
            BinaryPrimitives.WriteUInt16BigEndian(body[at..], 0);
            length = BgpHeader.Size + at + 2;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(body, 0);
            var value = 3 + nlriBytes;
            var at = 4 + WriteAttributeHeader(body[4..], PathAttributeFlags.Optional, PathAttributeType.MpUnreachNlri, value);
            BinaryPrimitives.WriteUInt16BigEndian(body[at..], (ushort)Afi.IPv6);
            body[at + 2] = (byte)Safi.Unicast;
            at += 3 + WritePrefixes(sent, positions[_next..end], body[(at + 3)..]);
            BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)(at - 4));
            length = BgpHeader.Size + at;
        }
        BgpHeader.Write(message, length, BgpMessageType.Update);
        _next = end;
        return length;
    }

    /* RFC 4271 §4.3 announcement: Withdrawn Routes Length = 0 | Total Path Attribute Length |
       attributes by type code | IPv4 NLRI. For IPv6 the prefixes sit in MP_REACH_NLRI (type 14,
       RFC 4760 §3: AFI, SAFI, next hop length, next hop, reserved, NLRI) between the attributes
       below 14 and those above. */
    private int WriteAnnounce(Span<byte> message)
    {
        var desired = _changes.Desired;
        var positions = _changes.AnnouncedPositions;
        var start = _next - _changes.WithdrawnCount;
        var first = positions[start];
        var group = desired.AttributeIndexAt(first);
        var afi = desired.PrefixAt(first).Afi;
        var attributes = Attributes(group, afi);
        var limit = start;
        while (limit < positions.Length && desired.AttributeIndexAt(positions[limit]) == group)
            limit++;
        var end = Fit(desired, positions, start, limit, afi, attributes.Room, out var nlriBytes);
        var body = message[BgpHeader.Size..];
        BinaryPrimitives.WriteUInt16BigEndian(body, 0);
        var at = 4;
        attributes.Before.CopyTo(body[at..]);
        at += attributes.Before.Length;
        if (afi == Afi.IPv6)
        {
            var nextHop = attributes.NextHop;
            at += WriteAttributeHeader(body[at..], PathAttributeFlags.Optional, PathAttributeType.MpReachNlri, 5 + nextHop.Length + nlriBytes);
            BinaryPrimitives.WriteUInt16BigEndian(body[at..], (ushort)Afi.IPv6);
            body[at + 2] = (byte)Safi.Unicast;
            body[at + 3] = (byte)nextHop.Length;
            nextHop.CopyTo(body[(at + 4)..]);
            at += 4 + nextHop.Length;
            body[at++] = 0; // reserved
            at += WritePrefixes(desired, positions[start..end], body[at..]);
        }
        attributes.After.CopyTo(body[at..]);
        at += attributes.After.Length;
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)(at - 4));
        if (afi == Afi.IPv4)
            at += WritePrefixes(desired, positions[start..end], body[at..]);
        var length = BgpHeader.Size + at;
        BgpHeader.Write(message, length, BgpMessageType.Update);
        _next = end + _changes.WithdrawnCount;
        return length;
    }

    /// <summary>
    /// The end of the run from <paramref name="start"/> that stays in <paramref name="afi"/> and
    /// fits in <paramref name="room"/> octets of NLRI (at least one prefix, as UpdateBuilder).
    /// </summary>
    private static int Fit(RouteSet set, ReadOnlySpan<int> positions, int start, int limit, Afi afi, int room, out int bytes)
    {
        bytes = 0;
        var end = start;
        while (end < limit)
        {
            var p = set.PrefixAt(positions[end]);
            if (p.Afi != afi || (bytes + p.EncodedLength > room && end > start))
                break;
            bytes += p.EncodedLength;
            end++;
        }
        return end;
    }

    private static int WritePrefixes(RouteSet set, ReadOnlySpan<int> positions, Span<byte> destination)
    {
        var at = 0;
        foreach (var i in positions)
            at += set.PrefixAt(i).Write(destination[at..]);
        return at;
    }

    /// <summary>Flags, type and length; the extended-length bit only when the value needs it (as <see cref="PathAttribute.Create"/>).</summary>
    private static int WriteAttributeHeader(Span<byte> destination, PathAttributeFlags flags, PathAttributeType type, int valueLength)
    {
        destination[1] = (byte)type;
        if (valueLength > 255)
        {
            destination[0] = (byte)(flags | PathAttributeFlags.ExtendedLength);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)valueLength));
            return 4;
        }
        destination[0] = (byte)(flags & ~PathAttributeFlags.ExtendedLength);
        destination[2] = (byte)valueLength;
        return 3;
    }

    private GroupAttributes Attributes(int group, Afi afi)
    {
        if (_groups.TryGetValue((group, afi), out var encoded))
            return encoded;
        var common = UpdateBuilder.CommonAttributes(_context, _changes.Desired.AttributeSets[group], afi);
        var nextHop = afi == Afi.IPv6 ? UpdateBuilder.NextHopBytes(_context.NextHopIPv6, afi) : [];
        var room = _context.MaxMessageLength - BgpHeader.Size - 4 - common.Sum(a => a.EncodedLength)
            - (afi == Afi.IPv6 ? 4 + 5 + nextHop.Length : 0);
        encoded = new GroupAttributes(
            Encode(common.Where(a => a.TypeCode < (byte)PathAttributeType.MpReachNlri)),
            Encode(common.Where(a => a.TypeCode > (byte)PathAttributeType.MpReachNlri)),
            nextHop, room);
        _groups[(group, afi)] = encoded;
        return encoded;
    }

    private static byte[] Encode(IEnumerable<PathAttribute> attributes)
    {
        var list = attributes.ToList();
        var bytes = new byte[list.Sum(a => a.EncodedLength)];
        var at = 0;
        foreach (var a in list)
            at += a.Write(bytes.AsSpan(at));
        return bytes;
    }

    /// <summary>One attribute set's path attributes for one family, encoded once.</summary>
    private sealed record GroupAttributes(byte[] Before, byte[] After, byte[] NextHop, int Room);
}
