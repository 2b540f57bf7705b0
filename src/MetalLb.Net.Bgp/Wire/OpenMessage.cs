using System.Buffers;
using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Wire;

/// <summary>
/// OPEN (RFC 4271 §4.2). Capabilities keep the grouping they arrived in (GoBGP sends one
/// capability per optional parameter, BIRD all in one), so re-encoding gives the same bytes.
/// </summary>
public sealed class OpenMessage : BgpMessage
{
    public const ushort AsTrans = 23456; // RFC 6793 §9

    public OpenMessage(byte version, ushort myAs, ushort holdTime, uint bgpIdentifier,
        IReadOnlyList<IReadOnlyList<BgpCapability>> capabilityParameters)
    {
        Version = version;
        MyAs = myAs;
        HoldTime = holdTime;
        BgpIdentifier = bgpIdentifier;
        CapabilityParameters = capabilityParameters;
    }

    public override BgpMessageType Type => BgpMessageType.Open;
    public byte Version { get; }
    public ushort MyAs { get; }
    public ushort HoldTime { get; }
    public uint BgpIdentifier { get; }
    /// <summary>Each entry is one optional parameter of type 2 (Capabilities, RFC 5492 §4).</summary>
    public IReadOnlyList<IReadOnlyList<BgpCapability>> CapabilityParameters { get; }

    public IEnumerable<BgpCapability> Capabilities => CapabilityParameters.SelectMany(p => p);

    /// <summary>Our OPEN: every capability in one optional parameter; AS_TRANS in My AS when the ASN needs 4 octets.</summary>
    public static OpenMessage Create(uint asn, ushort holdTime, uint bgpIdentifier, IReadOnlyList<BgpCapability> capabilities) =>
        new(4, asn > ushort.MaxValue ? AsTrans : (ushort)asn, holdTime, bgpIdentifier, [capabilities]);

    /// <summary>RFC 6793 §4.1: the 4-octet AS capability carries the real ASN; else My AS.</summary>
    public uint PeerAs => Capabilities.FirstOrDefault(c => c.Code == CapabilityCode.FourOctetAs) is { } c && c.TryGetFourOctetAs(out var a) ? a : MyAs;

    public bool SupportsFourOctetAs => Capabilities.Any(c => c.Code == CapabilityCode.FourOctetAs);

    /* RFC 4271 §4.2
        0                   1                   2                   3
        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
       +-+-+-+-+-+-+-+-+
       |    Version    |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       |     My Autonomous System      |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       |           Hold Time           |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       |                         BGP Identifier                        |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       | Opt Parm Len  |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       |             Optional Parameters (variable)                    |
       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
       each parameter: Parm. Type (1) | Parm. Length (1) | Parm. Value   */
    public static OperationStatus TryDecodeBody(ReadOnlySpan<byte> body, out OpenMessage? message, out BgpError error)
    {
        message = null;
        error = default;
        if (body.Length < 10)
        {
            error = BgpError.BadMessageLength((ushort)(body.Length + BgpHeader.Size));
            return OperationStatus.InvalidData;
        }
        var version = body[0];
        if (version != 4)
            return Fail(BgpError.UnsupportedVersionNumber, out error);
        var myAs = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
        var hold = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
        var id = BinaryPrimitives.ReadUInt32BigEndian(body[5..]);
        int optLen = body[9];
        // §6.2: hold time 1 or 2 is unacceptable; identifier 0 is not a valid unicast address.
        if (hold is 1 or 2)
            return Fail(BgpError.UnacceptableHoldTime, out error);
        if (id == 0)
            return Fail(BgpError.BadBgpIdentifier, out error);
        if (optLen != body.Length - 10)
            return Fail(BgpError.OpenUnspecific, out error);
        var parameters = new List<IReadOnlyList<BgpCapability>>();
        var rest = body[10..];
        while (!rest.IsEmpty)
        {
            if (rest.Length < 2 || rest[1] > rest.Length - 2)
                return Fail(BgpError.OpenUnspecific, out error);
            var type = rest[0];
            var value = rest.Slice(2, rest[1]);
            rest = rest[(2 + value.Length)..];
            if (type != 2)
                return Fail(BgpError.UnsupportedOptionalParameter, out error);
            var caps = new List<BgpCapability>();
            while (!value.IsEmpty)
            {
                // RFC 5492 §4: a capability whose length overruns the parameter is malformed.
                if (value.Length < 2 || value[1] > value.Length - 2)
                    return Fail(BgpError.OpenUnspecific, out error);
                caps.Add(new BgpCapability((CapabilityCode)value[0], value.Slice(2, value[1]).ToArray()));
                value = value[(2 + value[1])..];
            }
            parameters.Add(caps);
        }
        message = new OpenMessage(version, myAs, hold, id, parameters);
        return OperationStatus.Done;
    }

    private static OperationStatus Fail(BgpError e, out BgpError error)
    {
        error = e;
        return OperationStatus.InvalidData;
    }

    protected override int GetBodyLength() => 10 + OptionalParametersLength;

    private int OptionalParametersLength => CapabilityParameters.Sum(p => 2 + p.Sum(c => c.EncodedLength));

    protected override int WriteBody(Span<byte> destination)
    {
        destination[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], MyAs);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], HoldTime);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], BgpIdentifier);
        destination[9] = checked((byte)OptionalParametersLength);
        var at = 10;
        foreach (var p in CapabilityParameters)
        {
            destination[at] = 2;
            var len = p.Sum(c => c.EncodedLength);
            destination[at + 1] = checked((byte)len);
            at += 2;
            foreach (var c in p)
                at += c.Write(destination[at..]);
        }
        return at;
    }
}
