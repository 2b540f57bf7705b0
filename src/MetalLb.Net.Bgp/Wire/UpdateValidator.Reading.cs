using System.Net;

namespace MetalLb.Net.Bgp.Wire;

public static partial class UpdateValidator
{
    /// <summary>The RFC 4271 attributes (RFC 7606 §7.1-7.7); false when <paramref name="a"/> is not one.</summary>
    private static bool ReadWellKnown(PathAttribute a, ReceivedUpdate r, Scan scan)
    {
        var v = a.Value.Span;
        switch (a.Type)
        {
            case PathAttributeType.Origin:
                scan.Origin = true;
                if (v.Length != 1 || v[0] > 2)
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "ORIGIN malformed (RFC 7606 §7.1)");
                else
                    r.Origin = (Origin)v[0];
                return true;
            case PathAttributeType.AsPath:
                scan.AsPath = true;
                if (AsPathSegment.TryReadPath(v, scan.FourOctetAs ? 4 : 2, out var path))
                    r.AsPath = path;
                else
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "AS_PATH malformed (RFC 7606 §7.2)");
                return true;
            case PathAttributeType.NextHop:
                scan.NextHop = true;
                if (v.Length != 4)
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "NEXT_HOP length (RFC 7606 §7.3)");
                else
                    r.NextHop = new IPAddress(v);
                return true;
            case PathAttributeType.MultiExitDisc:
                if (v.Length != 4)
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "MULTI_EXIT_DISC length (RFC 7606 §7.4)");
                else
                    r.MultiExitDisc = U32(v);
                return true;
            case PathAttributeType.LocalPref:
                if (!scan.IsInternal)
                    r.Escalate(UpdateErrorAction.AttributeDiscard, "LOCAL_PREF from an external peer (RFC 7606 §7.5)");
                else if (v.Length != 4)
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "LOCAL_PREF length (RFC 7606 §7.5)");
                else
                {
                    scan.LocalPref = true;
                    r.LocalPref = U32(v);
                }
                return true;
            case PathAttributeType.AtomicAggregate:
                if (v.Length != 0)
                    r.Escalate(UpdateErrorAction.AttributeDiscard, "ATOMIC_AGGREGATE length (RFC 7606 §7.6)");
                return true;
            case PathAttributeType.Aggregator:
                if (v.Length != (scan.FourOctetAs ? 8 : 6))
                    r.Escalate(UpdateErrorAction.AttributeDiscard, "AGGREGATOR length (RFC 7606 §7.7)");
                return true;
            default:
                return false;
        }
    }

    /// <summary>Communities, AS4 attributes, MP_(UN)REACH_NLRI and anything unrecognized.</summary>
    private static void ReadOptional(PathAttribute a, ReceivedUpdate r, Scan scan)
    {
        var v = a.Value.Span;
        switch (a.Type)
        {
            case PathAttributeType.Communities:
                if (v.Length == 0 || v.Length % 4 != 0)
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "COMMUNITIES length (RFC 7606 §7.8)");
                else
                    for (var i = 0; i < v.Length; i += 4)
                        r.Communities.Add(U32(v[i..]));
                break;
            case PathAttributeType.LargeCommunities:
                if (v.Length == 0 || v.Length % 12 != 0)
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, "LARGE_COMMUNITIES length (RFC 8092 §6)");
                else
                    for (var i = 0; i < v.Length; i += 12)
                        r.LargeCommunities.Add(new LargeCommunity(U32(v[i..]), U32(v[(i + 4)..]), U32(v[(i + 8)..])));
                break;
            case PathAttributeType.As4Path:
                // RFC 6793 §6: discarded when malformed, and ignored between two NEW speakers.
                if (!AsPathSegment.TryReadPath(v, 4, out var p4) || p4.Count == 0)
                    r.Escalate(UpdateErrorAction.AttributeDiscard, "AS4_PATH malformed (RFC 6793 §6)");
                else if (!scan.FourOctetAs)
                    scan.As4Path = p4;
                break;
            case PathAttributeType.As4Aggregator:
                if (v.Length != 8)
                    r.Escalate(UpdateErrorAction.AttributeDiscard, "AS4_AGGREGATOR length (RFC 6793 §6)");
                break;
            case PathAttributeType.MpReachNlri:
                scan.MpReach = true;
                ReadMpReach(a, r);
                break;
            case PathAttributeType.MpUnreachNlri:
                ReadMpUnreach(a, r);
                break;
            default:
                // RFC 4271 §6.3: an unrecognized well-known attribute is a session error.
                if ((a.Flags & PathAttributeFlags.Optional) == 0)
                    r.Escalate(UpdateErrorAction.SessionReset, $"unrecognized well-known attribute {a.TypeCode}",
                        BgpError.UnrecognizedWellKnownAttribute(Raw(a)));
                else
                    r.Unrecognized.Add(a);
                break;
        }
    }
}
