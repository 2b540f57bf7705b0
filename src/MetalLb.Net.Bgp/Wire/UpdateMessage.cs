using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// UPDATE (RFC 4271 §4.3), decoded structurally: withdrawn routes, raw path attributes and
/// IPv4 NLRI. What the attributes mean, and how to react to bad ones (RFC 7606), is
/// <see cref="UpdateValidator"/>'s job, because the reaction depends on the attribute.
/// </summary>
public sealed class UpdateMessage(
    IReadOnlyList<NlriPrefix> withdrawnRoutes, IReadOnlyList<PathAttribute> attributes, IReadOnlyList<NlriPrefix> nlri) : BgpMessage
{
    public IReadOnlyList<NlriPrefix> WithdrawnRoutes { get; } = withdrawnRoutes;
    public IReadOnlyList<PathAttribute> Attributes { get; } = attributes;
    public IReadOnlyList<NlriPrefix> Nlri { get; } = nlri;

    /// <summary>
    /// True when an attribute's header or length overran the Total Path Attribute Length;
    /// <see cref="Attributes"/> then holds those read before it. RFC 7606 §4: treat-as-withdraw.
    /// </summary>
    public bool AttributeListTruncated { get; init; }

    public override BgpMessageType Type => BgpMessageType.Update;

    /// <summary>End-of-RIB marker for IPv4 unicast (RFC 4724 §2): an empty UPDATE.</summary>
    public static UpdateMessage EndOfRibIPv4 { get; } = new([], [], []);

    /* RFC 4271 §4.3
       +-----------------------------------------------------+
       |   Withdrawn Routes Length (2 octets)                |
       +-----------------------------------------------------+
       |   Withdrawn Routes (variable)                       |
       +-----------------------------------------------------+
       |   Total Path Attribute Length (2 octets)            |
       +-----------------------------------------------------+
       |   Path Attributes (variable)                        |
       +-----------------------------------------------------+
       |   Network Layer Reachability Information (variable) |
       +-----------------------------------------------------+                  */
    public static OperationStatus TryDecodeBody(ReadOnlySpan<byte> body, out UpdateMessage? message, out BgpError error)
    {
        message = null;
        error = default;
        // RFC 7606 §4 keeps these two as session resets: the NLRI cannot be located.
        if (body.Length < 4)
            return Fail(BgpError.MalformedAttributeList, out error);
        int withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (withdrawnLength > body.Length - 4)
            return Fail(BgpError.MalformedAttributeList, out error);
        int attrLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        if (attrLength > body.Length - 4 - withdrawnLength)
            return Fail(BgpError.MalformedAttributeList, out error);

        // RFC 7606 §5.3: a syntactically wrong prefix in either field resets the session.
        if (!TryReadPrefixes(body.Slice(2, withdrawnLength), Afi.IPv4, out var withdrawn))
            return Fail(BgpError.MalformedAttributeList, out error);
        if (!TryReadPrefixes(body[(4 + withdrawnLength + attrLength)..], Afi.IPv4, out var nlri))
            return Fail(BgpError.InvalidNetworkField, out error);

        var attributes = new List<PathAttribute>();
        var rest = body.Slice(4 + withdrawnLength, attrLength);
        var truncated = false;
        while (!rest.IsEmpty)
        {
            if (!PathAttribute.TryRead(rest, out var a, out var used))
            {
                truncated = true;
                break;
            }
            attributes.Add(a!);
            rest = rest[used..];
        }
        message = new UpdateMessage(withdrawn, attributes, nlri) { AttributeListTruncated = truncated };
        return OperationStatus.Done;
    }

    internal static bool TryReadPrefixes(ReadOnlySpan<byte> field, Afi afi, out List<NlriPrefix> prefixes)
    {
        prefixes = [];
        while (!field.IsEmpty)
        {
            if (NlriPrefix.TryRead(field, afi, out var p, out var used) != OperationStatus.Done)
                return false;
            prefixes.Add(p);
            field = field[used..];
        }
        return true;
    }

    private static OperationStatus Fail(BgpError e, out BgpError error)
    {
        error = e;
        return OperationStatus.InvalidData;
    }

    protected override int GetBodyLength() =>
        4 + WithdrawnRoutes.Sum(p => p.EncodedLength) + Attributes.Sum(a => a.EncodedLength) + Nlri.Sum(p => p.EncodedLength);

    protected override int WriteBody(Span<byte> destination)
    {
        var at = 2;
        foreach (var p in WithdrawnRoutes)
            at += p.Write(destination[at..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(at - 2));
        var attrStart = at + 2;
        at = attrStart;
        foreach (var a in Attributes)
            at += a.Write(destination[at..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(attrStart - 2)..], (ushort)(at - attrStart));
        foreach (var p in Nlri)
            at += p.Write(destination[at..]);
        return at;
    }
}
