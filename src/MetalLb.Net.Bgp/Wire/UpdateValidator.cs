using System.Buffers.Binary;
using System.Net;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// Interprets a structurally decoded UPDATE and chooses the RFC 7606 reaction for each bad
/// attribute. Pure: the session supplies whether it is iBGP and whether 4-octet ASNs were negotiated.
/// </summary>
public static partial class UpdateValidator
{
    public static ReceivedUpdate Validate(UpdateMessage update, bool fourOctetAs, bool isInternal)
    {
        ArgumentNullException.ThrowIfNull(update);
        var r = new ReceivedUpdate();
        r.Withdrawn.AddRange(update.WithdrawnRoutes);
        r.Announced.AddRange(update.Nlri);
        if (update.AttributeListTruncated)
            r.Escalate(UpdateErrorAction.TreatAsWithdraw, "attribute overruns the attribute list (RFC 7606 §4)");

        var seen = new HashSet<byte>();
        List<AsPathSegment>? as4Path = null;
        bool sawOrigin = false, sawAsPath = false, sawNextHop = false, sawLocalPref = false, sawMpReach = false;
        foreach (var a in update.Attributes)
        {
            if (!seen.Add(a.TypeCode))
            {
                // RFC 7606 §3 g: repeated MP attributes reset; other repeats are discarded.
                if (a.Type is PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri)
                    r.Escalate(UpdateErrorAction.SessionReset, $"{a.Type} repeated", BgpError.MalformedAttributeList);
                else
                    r.Escalate(UpdateErrorAction.AttributeDiscard, $"{a.Type} repeated; later copy discarded");
                continue;
            }
            if (!FlagsMatch(a))
            {
                // RFC 7606 §3 c; for MP attributes the NLRI cannot be trusted, so reset (§5.3).
                if (a.Type is PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri)
                    r.Escalate(UpdateErrorAction.SessionReset, $"{a.Type} flags {a.Flags}", BgpError.AttributeFlagsError(Raw(a)));
                else
                    r.Escalate(UpdateErrorAction.TreatAsWithdraw, $"{a.Type} flags {a.Flags}");
                continue;
            }
            var v = a.Value.Span;
            switch (a.Type)
            {
                case PathAttributeType.Origin:
                    sawOrigin = true;
                    if (v.Length != 1 || v[0] > 2)
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "ORIGIN malformed (RFC 7606 §7.1)");
                    else
                        r.Origin = (Origin)v[0];
                    break;
                case PathAttributeType.AsPath:
                    sawAsPath = true;
                    if (AsPathSegment.TryReadPath(v, fourOctetAs ? 4 : 2, out var path))
                        r.AsPath = path;
                    else
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "AS_PATH malformed (RFC 7606 §7.2)");
                    break;
                case PathAttributeType.NextHop:
                    sawNextHop = true;
                    if (v.Length != 4)
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "NEXT_HOP length (RFC 7606 §7.3)");
                    else
                        r.NextHop = new IPAddress(v);
                    break;
                case PathAttributeType.MultiExitDisc:
                    if (v.Length != 4)
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "MULTI_EXIT_DISC length (RFC 7606 §7.4)");
                    else
                        r.MultiExitDisc = BinaryPrimitives.ReadUInt32BigEndian(v);
                    break;
                case PathAttributeType.LocalPref:
                    if (!isInternal)
                        r.Escalate(UpdateErrorAction.AttributeDiscard, "LOCAL_PREF from an external peer (RFC 7606 §7.5)");
                    else if (v.Length != 4)
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "LOCAL_PREF length (RFC 7606 §7.5)");
                    else
                    {
                        sawLocalPref = true;
                        r.LocalPref = BinaryPrimitives.ReadUInt32BigEndian(v);
                    }
                    break;
                case PathAttributeType.AtomicAggregate:
                    if (v.Length != 0)
                        r.Escalate(UpdateErrorAction.AttributeDiscard, "ATOMIC_AGGREGATE length (RFC 7606 §7.6)");
                    break;
                case PathAttributeType.Aggregator:
                    if (v.Length != (fourOctetAs ? 8 : 6))
                        r.Escalate(UpdateErrorAction.AttributeDiscard, "AGGREGATOR length (RFC 7606 §7.7)");
                    break;
                case PathAttributeType.Communities:
                    if (v.Length == 0 || v.Length % 4 != 0)
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "COMMUNITIES length (RFC 7606 §7.8)");
                    else
                        for (var i = 0; i < v.Length; i += 4)
                            r.Communities.Add(BinaryPrimitives.ReadUInt32BigEndian(v[i..]));
                    break;
                case PathAttributeType.LargeCommunities:
                    if (v.Length == 0 || v.Length % 12 != 0)
                        r.Escalate(UpdateErrorAction.TreatAsWithdraw, "LARGE_COMMUNITIES length (RFC 8092 §6)");
                    else
                        for (var i = 0; i < v.Length; i += 12)
                            r.LargeCommunities.Add(new LargeCommunity(BinaryPrimitives.ReadUInt32BigEndian(v[i..]),
                                BinaryPrimitives.ReadUInt32BigEndian(v[(i + 4)..]), BinaryPrimitives.ReadUInt32BigEndian(v[(i + 8)..])));
                    break;
                case PathAttributeType.As4Path:
                    // RFC 6793 §6: discarded when malformed, and ignored between two NEW speakers.
                    if (!AsPathSegment.TryReadPath(v, 4, out var p4) || p4.Count == 0)
                        r.Escalate(UpdateErrorAction.AttributeDiscard, "AS4_PATH malformed (RFC 6793 §6)");
                    else if (!fourOctetAs)
                        as4Path = p4;
                    break;
                case PathAttributeType.As4Aggregator:
                    if (v.Length != 8)
                        r.Escalate(UpdateErrorAction.AttributeDiscard, "AS4_AGGREGATOR length (RFC 6793 §6)");
                    break;
                case PathAttributeType.MpReachNlri:
                    sawMpReach = true;
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

        // RFC 7606 §3 d: a missing well-known mandatory attribute means treat-as-withdraw.
        var hasNlri = update.Nlri.Count > 0 || sawMpReach;
        if (hasNlri && (!sawOrigin || !sawAsPath || (update.Nlri.Count > 0 && !sawNextHop) || (isInternal && !sawLocalPref)))
            r.Escalate(UpdateErrorAction.TreatAsWithdraw, "missing well-known mandatory attribute (RFC 7606 §3 d)");

        if (as4Path is not null)
            r.AsPath = MergeAs4Path(r.AsPath, as4Path);

        r.IsEndOfRib = update.Attributes.Count == 0 && update.Nlri.Count == 0 && update.WithdrawnRoutes.Count == 0
            || (update.Attributes.Count == 1 && update.Attributes[0].Type == PathAttributeType.MpUnreachNlri
                && update.Attributes[0].Value.Length == 3 && update.Nlri.Count == 0 && update.WithdrawnRoutes.Count == 0);

        if (r.Action == UpdateErrorAction.TreatAsWithdraw)
        {
            r.Withdrawn.AddRange(r.Announced);
            r.Announced.Clear();
        }
        return r;
    }

    private static ReadOnlyMemory<byte> Raw(PathAttribute a)
    {
        var bytes = new byte[a.EncodedLength];
        a.Write(bytes);
        return bytes;
    }
}
