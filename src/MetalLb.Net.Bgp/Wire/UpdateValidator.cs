using System.Buffers.Binary;

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
        // RFC 7606 §3 g: with MP_REACH_NLRI or MP_UNREACH_NLRI twice, which copy holds the real
        // NLRI is unknowable, so the session resets with Malformed Attribute List. Checked before
        // anything is read, so no other damage in the UPDATE can answer with a different subcode
        // and no route from either copy is ever taken.
        if (RepeatedMpAttribute(update.Attributes) is { } repeated)
        {
            r.Escalate(UpdateErrorAction.SessionReset, $"{repeated} repeated (RFC 7606 §3 g)", BgpError.MalformedAttributeList);
            return r;
        }
        r.Withdrawn.AddRange(update.WithdrawnRoutes);
        r.Announced.AddRange(update.Nlri);
        if (update.AttributeListTruncated)
            r.Escalate(UpdateErrorAction.TreatAsWithdraw, "attribute overruns the attribute list (RFC 7606 §4)");

        var scan = new Scan(fourOctetAs, isInternal);
        foreach (var a in update.Attributes)
            Read(a, r, scan);
        Finish(update, r, scan);
        return r;
    }

    private static PathAttributeType? RepeatedMpAttribute(IReadOnlyList<PathAttribute> attributes)
    {
        int reach = 0, unreach = 0;
        foreach (var a in attributes)
            if ((a.Type == PathAttributeType.MpReachNlri && ++reach == 2) || (a.Type == PathAttributeType.MpUnreachNlri && ++unreach == 2))
                return a.Type;
        return null;
    }

    /// <summary>What the attributes seen so far add up to, for the checks that span them.</summary>
    private sealed class Scan(bool fourOctetAs, bool isInternal)
    {
        public bool FourOctetAs { get; } = fourOctetAs;
        public bool IsInternal { get; } = isInternal;
        public HashSet<byte> Seen { get; } = [];
        public bool Origin, AsPath, NextHop, LocalPref, MpReach;
        public List<AsPathSegment>? As4Path;
    }

    private static void Read(PathAttribute a, ReceivedUpdate r, Scan scan)
    {
        if (!scan.Seen.Add(a.TypeCode))
        {
            // RFC 7606 §3 g: other repeats are discarded (MP ones never get here).
            r.Escalate(UpdateErrorAction.AttributeDiscard, $"{a.Type} repeated; later copy discarded");
            return;
        }
        if (!FlagsMatch(a))
        {
            // RFC 7606 §3 c; for MP attributes the NLRI cannot be trusted, so reset (§5.3).
            if (a.Type is PathAttributeType.MpReachNlri or PathAttributeType.MpUnreachNlri)
                r.Escalate(UpdateErrorAction.SessionReset, $"{a.Type} flags {a.Flags}", BgpError.AttributeFlagsError(Raw(a)));
            else
                r.Escalate(UpdateErrorAction.TreatAsWithdraw, $"{a.Type} flags {a.Flags}");
            return;
        }
        if (!ReadWellKnown(a, r, scan))
            ReadOptional(a, r, scan);
    }

    private static void Finish(UpdateMessage update, ReceivedUpdate r, Scan scan)
    {
        // RFC 7606 §3 d: a missing well-known mandatory attribute means treat-as-withdraw.
        var hasNlri = update.Nlri.Count > 0 || scan.MpReach;
        if (hasNlri && (!scan.Origin || !scan.AsPath || (update.Nlri.Count > 0 && !scan.NextHop) || (scan.IsInternal && !scan.LocalPref)))
            r.Escalate(UpdateErrorAction.TreatAsWithdraw, "missing well-known mandatory attribute (RFC 7606 §3 d)");

        if (scan.As4Path is not null)
            r.AsPath = MergeAs4Path(r.AsPath, scan.As4Path);

        r.IsEndOfRib = update.Attributes.Count == 0 && update.Nlri.Count == 0 && update.WithdrawnRoutes.Count == 0
            || (update.Attributes.Count == 1 && update.Attributes[0].Type == PathAttributeType.MpUnreachNlri
                && update.Attributes[0].Value.Length == 3 && update.Nlri.Count == 0 && update.WithdrawnRoutes.Count == 0);

        if (r.Action == UpdateErrorAction.TreatAsWithdraw)
        {
            r.Withdrawn.AddRange(r.Announced);
            r.Announced.Clear();
        }
    }

    private static ReadOnlyMemory<byte> Raw(PathAttribute a)
    {
        var bytes = new byte[a.EncodedLength];
        a.Write(bytes);
        return bytes;
    }

    private static uint U32(ReadOnlySpan<byte> v) => BinaryPrimitives.ReadUInt32BigEndian(v);
}
