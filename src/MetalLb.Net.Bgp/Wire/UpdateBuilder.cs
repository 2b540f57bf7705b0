using System.Buffers.Binary;
using System.Net;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// Turns "these prefixes, with these attributes" into as few UPDATEs as fit the 4096-byte
/// limit: IPv4 NLRI in the NLRI field with NEXT_HOP, IPv6 in MP_REACH_NLRI (RFC 4760 §3).
/// Upstream's native mode sends one prefix per UPDATE; packing is what FRR and BIRD do.
/// </summary>
public static class UpdateBuilder
{
    public static List<UpdateMessage> Announce(UpdateEncodingContext context, AdvertisedAttributes attributes, IReadOnlyList<NlriPrefix> prefixes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(prefixes);
        var result = new List<UpdateMessage>();
        if (prefixes.Count == 0)
            return result;
        var afi = prefixes[0].Afi;
        var common = CommonAttributes(context, attributes, afi);
        // Room left for prefixes: header, two length fields, the attributes, and for IPv6 the
        // MP_REACH_NLRI header (4 octets with extended length) + AFI/SAFI/NH length/NH/reserved.
        var nextHop = afi == Afi.IPv6 ? NextHopBytes(context.NextHopIPv6, afi) : [];
        var room = context.MaxMessageLength - BgpHeader.Size - 4 - common.Sum(a => a.EncodedLength)
            - (afi == Afi.IPv6 ? 4 + 5 + nextHop.Length : 0);
        foreach (var chunk in Chunks(prefixes, room))
        {
            if (afi == Afi.IPv4)
            {
                result.Add(new UpdateMessage([], common, chunk));
                continue;
            }
            var mp = new byte[5 + nextHop.Length + chunk.Sum(p => p.EncodedLength)];
            BinaryPrimitives.WriteUInt16BigEndian(mp, (ushort)Afi.IPv6);
            mp[2] = (byte)Safi.Unicast;
            mp[3] = (byte)nextHop.Length;
            nextHop.CopyTo(mp, 4);
            var at = 5 + nextHop.Length;
            foreach (var p in chunk)
                at += p.Write(mp.AsSpan(at));
            var attrs = new List<PathAttribute>(common) { PathAttribute.Create(PathAttributeFlags.Optional, PathAttributeType.MpReachNlri, mp) };
            // RFC 4271 §5: SHOULD order by type code.
            attrs.Sort((a, b) => a.TypeCode.CompareTo(b.TypeCode));
            result.Add(new UpdateMessage([], attrs, []));
        }
        return result;
    }

    public static List<UpdateMessage> Withdraw(UpdateEncodingContext context, IReadOnlyList<NlriPrefix> prefixes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(prefixes);
        var result = new List<UpdateMessage>();
        if (prefixes.Count == 0)
            return result;
        var afi = prefixes[0].Afi;
        var room = context.MaxMessageLength - BgpHeader.Size - 4 - (afi == Afi.IPv6 ? 4 + 3 : 0);
        foreach (var chunk in Chunks(prefixes, room))
        {
            if (afi == Afi.IPv4)
            {
                result.Add(new UpdateMessage(chunk, [], []));
                continue;
            }
            var mp = new byte[3 + chunk.Sum(p => p.EncodedLength)];
            BinaryPrimitives.WriteUInt16BigEndian(mp, (ushort)Afi.IPv6);
            mp[2] = (byte)Safi.Unicast;
            var at = 3;
            foreach (var p in chunk)
                at += p.Write(mp.AsSpan(at));
            result.Add(new UpdateMessage([], [PathAttribute.Create(PathAttributeFlags.Optional, PathAttributeType.MpUnreachNlri, mp)], []));
        }
        return result;
    }

    /// <summary>End-of-RIB marker (RFC 4724 §2): empty UPDATE for IPv4, empty MP_UNREACH_NLRI otherwise.</summary>
    public static UpdateMessage EndOfRib(Afi afi) => afi == Afi.IPv4
        ? UpdateMessage.EndOfRibIPv4
        : new UpdateMessage([], [new PathAttribute(PathAttributeFlags.Optional, (byte)PathAttributeType.MpUnreachNlri, new byte[] { 0, (byte)afi, 1 })], []);

    private static IEnumerable<List<NlriPrefix>> Chunks(IReadOnlyList<NlriPrefix> prefixes, int room)
    {
        var chunk = new List<NlriPrefix>();
        var used = 0;
        foreach (var p in prefixes)
        {
            if (p.Afi != prefixes[0].Afi)
                throw new ArgumentException("one address family per call", nameof(prefixes));
            if (used + p.EncodedLength > room && chunk.Count > 0)
            {
                yield return chunk;
                chunk = [];
                used = 0;
            }
            chunk.Add(p);
            used += p.EncodedLength;
        }
        yield return chunk;
    }

    internal static byte[] NextHopBytes(IPAddress? address, Afi afi) =>
        address?.GetAddressBytes() ?? throw new InvalidOperationException($"no next hop for {afi}: the session has no local address of that family");

    internal static List<PathAttribute> CommonAttributes(UpdateEncodingContext c, AdvertisedAttributes a, Afi afi)
    {
        const PathAttributeFlags T = PathAttributeFlags.Transitive, O = PathAttributeFlags.Optional;
        var list = new List<PathAttribute> { PathAttribute.Create(T, PathAttributeType.Origin, new[] { (byte)Origin.Igp }) };

        // RFC 4271 §5.1.2: eBGP prepends our ASN; iBGP sends an empty AS_PATH. RFC 6793 §4.2.2:
        // to a 2-octet peer a large ASN becomes AS_TRANS, with the real path in AS4_PATH.
        List<AsPathSegment> path = c.IsInternal ? [] : [new AsPathSegment(AsPathSegmentType.AsSequence, [c.LocalAs])];
        list.Add(PathAttribute.Create(T, PathAttributeType.AsPath, AsPathSegment.Encode(path, c.FourOctetAs ? 4 : 2)));
        if (afi == Afi.IPv4)
            list.Add(PathAttribute.Create(T, PathAttributeType.NextHop, NextHopBytes(c.NextHopIPv4, afi)));
        if (a.MultiExitDisc is { } med)
            list.Add(PathAttribute.Create(O, PathAttributeType.MultiExitDisc, U32(med)));
        // RFC 4271 §5.1.5: LOCAL_PREF goes to internal peers only (upstream native does the same).
        if (c.IsInternal)
            list.Add(PathAttribute.Create(T, PathAttributeType.LocalPref, U32(a.LocalPref ?? 100)));
        if (a.Communities.Count > 0)
            list.Add(PathAttribute.Create(O | T, PathAttributeType.Communities, a.Communities.SelectMany(U32).ToArray()));
        if (!c.FourOctetAs && !c.IsInternal && c.LocalAs > ushort.MaxValue)
            list.Add(PathAttribute.Create(O | T, PathAttributeType.As4Path, AsPathSegment.Encode(path, 4)));
        if (a.LargeCommunities.Count > 0)
            list.Add(PathAttribute.Create(O | T, PathAttributeType.LargeCommunities,
                a.LargeCommunities.SelectMany(l => U32(l.GlobalAdministrator).Concat(U32(l.LocalData1)).Concat(U32(l.LocalData2))).ToArray()));
        return list;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }
}
