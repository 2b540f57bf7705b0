using System.Buffers.Binary;
using System.Net;

namespace MetalLb.Net.Bgp.Wire;

public static partial class UpdateValidator
{
    /// <summary>Optional and Transitive bits each known attribute must carry (RFC 4271 §5, RFC 4760, RFC 8092).</summary>
    private static bool FlagsMatch(PathAttribute a)
    {
        const PathAttributeFlags O = PathAttributeFlags.Optional, T = PathAttributeFlags.Transitive;
        PathAttributeFlags? expected = a.Type switch
        {
            PathAttributeType.Origin or PathAttributeType.AsPath or PathAttributeType.NextHop
                or PathAttributeType.LocalPref or PathAttributeType.AtomicAggregate => T,
            PathAttributeType.MultiExitDisc or PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri => O,
            PathAttributeType.Aggregator or PathAttributeType.Communities or PathAttributeType.As4Path
                or PathAttributeType.As4Aggregator or PathAttributeType.LargeCommunities => O | T,
            _ => null,
        };
        return expected is null || (a.Flags & (O | T)) == expected;
    }

    /* RFC 4760 §3
       +---------------------------------------------------------+
       | Address Family Identifier (2 octets)                    |
       +---------------------------------------------------------+
       | Subsequent Address Family Identifier (1 octet)          |
       +---------------------------------------------------------+
       | Length of Next Hop Network Address (1 octet)            |
       +---------------------------------------------------------+
       | Network Address of Next Hop (variable)                  |
       +---------------------------------------------------------+
       | Reserved (1 octet)                                      |
       +---------------------------------------------------------+
       | Network Layer Reachability Information (variable)       |
       +---------------------------------------------------------+
       RFC 7606 §7.11 / §5.3: if this cannot be parsed the NLRI is unknown, so the session resets. */
    private static void ReadMpReach(PathAttribute a, ReceivedUpdate r)
    {
        var v = a.Value.Span;
        if (v.Length < 5 || v[3] > v.Length - 5)
        {
            r.Escalate(UpdateErrorAction.SessionReset, "MP_REACH_NLRI length", BgpError.OptionalAttributeError(Raw(a)));
            return;
        }
        var afi = (Afi)BinaryPrimitives.ReadUInt16BigEndian(v);
        var safi = (Safi)v[2];
        var nh = v.Slice(4, v[3]);
        if (safi != Safi.Unicast || afi is not (Afi.IPv4 or Afi.IPv6))
            return; // a family we never negotiated: RFC 4760 §7 lets us ignore it
        // RFC 2545 §3: IPv6 next hop is 16 octets, or 32 with a link-local second.
        var nhOk = afi == Afi.IPv4 ? nh.Length == 4 : nh.Length is 16 or 32;
        if (!nhOk)
        {
            r.Escalate(UpdateErrorAction.SessionReset, "MP_REACH_NLRI next hop length", BgpError.OptionalAttributeError(Raw(a)));
            return;
        }
        for (var i = 0; i < nh.Length; i += afi == Afi.IPv4 ? 4 : 16)
            r.MpNextHops.Add(new IPAddress(nh.Slice(i, afi == Afi.IPv4 ? 4 : 16)));
        if (!UpdateMessage.TryReadPrefixes(v[(5 + nh.Length)..], afi, out var prefixes))
        {
            r.Escalate(UpdateErrorAction.SessionReset, "MP_REACH_NLRI prefixes", BgpError.OptionalAttributeError(Raw(a)));
            return;
        }
        r.Announced.AddRange(prefixes);
    }

    /* RFC 4760 §4
       | AFI (2) | SAFI (1) | Withdrawn Routes (variable) |                       */
    private static void ReadMpUnreach(PathAttribute a, ReceivedUpdate r)
    {
        var v = a.Value.Span;
        if (v.Length < 3)
        {
            r.Escalate(UpdateErrorAction.SessionReset, "MP_UNREACH_NLRI length", BgpError.OptionalAttributeError(Raw(a)));
            return;
        }
        var afi = (Afi)BinaryPrimitives.ReadUInt16BigEndian(v);
        if ((Safi)v[2] != Safi.Unicast || afi is not (Afi.IPv4 or Afi.IPv6))
            return;
        if (!UpdateMessage.TryReadPrefixes(v[3..], afi, out var prefixes))
        {
            r.Escalate(UpdateErrorAction.SessionReset, "MP_UNREACH_NLRI prefixes", BgpError.OptionalAttributeError(Raw(a)));
            return;
        }
        r.Withdrawn.AddRange(prefixes);
    }

    /// <summary>
    /// RFC 6793 §4.2.3: from a 2-octet speaker, keep the leading (count(AS_PATH) - count(AS4_PATH))
    /// ASes of AS_PATH and append AS4_PATH; if AS4_PATH is the longer one, ignore it.
    /// An AS_SET counts as one.
    /// </summary>
    internal static List<AsPathSegment> MergeAs4Path(List<AsPathSegment> asPath, List<AsPathSegment> as4Path)
    {
        static int Count(List<AsPathSegment> p) => p.Sum(s => s.Type == AsPathSegmentType.AsSet ? 1 : s.Asns.Count);
        var keep = Count(asPath) - Count(as4Path);
        if (keep < 0)
            return asPath;
        var merged = new List<AsPathSegment>();
        foreach (var s in asPath)
        {
            if (keep == 0)
                break;
            if (s.Type == AsPathSegmentType.AsSet)
            {
                merged.Add(s);
                keep--;
                continue;
            }
            var take = Math.Min(keep, s.Asns.Count);
            merged.Add(s with { Asns = s.Asns.Take(take).ToArray() });
            keep -= take;
        }
        merged.AddRange(as4Path);
        return merged;
    }
}
