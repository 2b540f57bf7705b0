using System.Buffers.Binary;

namespace MetalLb.Net.Bgp.Bfd.Wire;

/* RFC 5880 §4.1, the mandatory section (24 bytes), then the optional authentication section:
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
   |                       My Discriminator                        |
   |                      Your Discriminator                       |
   |                    Desired Min TX Interval                    |
   |                   Required Min RX Interval                    |
   |                 Required Min Echo RX Interval                 |
   |   Auth Type   |   Auth Len    |    Authentication Data...     |
   Intervals are in microseconds. */

/// <summary>
/// A BFD control packet. Authentication is parsed far enough to tell a well-formed section from
/// a broken one, then rejected: we do not implement it (docs/bfd.md), and RFC 5880 §6.8.6 says a
/// packet with the A bit is discarded when the session does not use authentication.
/// </summary>
public readonly record struct BfdControlPacket
{
    public const int Size = 24;
    public const byte Version = 1;

    public BfdDiagnostic Diagnostic { get; init; }
    public BfdState State { get; init; }
    /// <summary>P: the sender asks for a packet with F (a poll sequence, §6.5).</summary>
    public bool Poll { get; init; }
    /// <summary>F: the answer to a poll.</summary>
    public bool Final { get; init; }
    /// <summary>C: the sender's BFD does not share fate with its control plane.</summary>
    public bool ControlPlaneIndependent { get; init; }
    public bool AuthenticationPresent { get; init; }
    public bool Demand { get; init; }
    public bool Multipoint { get; init; }
    public byte DetectMult { get; init; }
    public uint MyDiscriminator { get; init; }
    public uint YourDiscriminator { get; init; }
    public uint DesiredMinTxInterval { get; init; }
    public uint RequiredMinRxInterval { get; init; }
    public uint RequiredMinEchoRxInterval { get; init; }

    /// <summary>
    /// Applies the §6.8.6 checks that need no session, in the RFC's order. Never throws: a bad
    /// packet gives false and the reason, for the caller to count and drop.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out BfdControlPacket packet, out BfdDecodeError error)
    {
        packet = default;
        if (source.Length < Size)
        {
            error = BfdDecodeError.TooShort;
            return false;
        }
        if (source[0] >> 5 != Version)
        {
            error = BfdDecodeError.BadVersion;
            return false;
        }
        var flags = source[1];
        var auth = (flags & 0x04) != 0;
        // The Length field is a claim: at least the mandatory section (plus the auth header when
        // A is set) and no more than what arrived.
        var length = source[3];
        if (length < (auth ? Size + 2 : Size) || length > source.Length)
        {
            error = BfdDecodeError.BadLength;
            return false;
        }
        packet = new BfdControlPacket
        {
            Diagnostic = (BfdDiagnostic)(source[0] & 0x1F),
            State = (BfdState)(flags >> 6),
            Poll = (flags & 0x20) != 0,
            Final = (flags & 0x10) != 0,
            ControlPlaneIndependent = (flags & 0x08) != 0,
            AuthenticationPresent = auth,
            Demand = (flags & 0x02) != 0,
            Multipoint = (flags & 0x01) != 0,
            DetectMult = source[2],
            MyDiscriminator = BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            YourDiscriminator = BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            DesiredMinTxInterval = BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            RequiredMinRxInterval = BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            RequiredMinEchoRxInterval = BinaryPrimitives.ReadUInt32BigEndian(source[20..]),
        };
        error = packet.DetectMult == 0 ? BfdDecodeError.ZeroDetectMultiplier
            : packet.Multipoint ? BfdDecodeError.Multipoint
            : packet.MyDiscriminator == 0 ? BfdDecodeError.ZeroMyDiscriminator
            : packet.YourDiscriminator == 0 && packet.State is not (BfdState.Down or BfdState.AdminDown) ? BfdDecodeError.ZeroYourDiscriminator
            : auth ? CheckAuthentication(source[Size..length])
            : BfdDecodeError.None;
        return error == BfdDecodeError.None;
    }

    /// <summary>Auth Type and Auth Len against the lengths §4.2-§4.4 give each type.</summary>
    private static BfdDecodeError CheckAuthentication(ReadOnlySpan<byte> section)
    {
        var type = section[0];
        var len = section[1];
        if (len > section.Length)
            return BfdDecodeError.BadAuthentication;
        var wellFormed = type switch
        {
            1 => len is >= 4 and <= 19,   // simple password: type, len, key id, 1-16 bytes
            2 or 3 => len == 24,          // (meticulous) keyed MD5
            4 or 5 => len == 28,          // (meticulous) keyed SHA1
            _ => false,
        };
        return wellFormed ? BfdDecodeError.AuthenticationNotSupported : BfdDecodeError.BadAuthentication;
    }

    /// <summary>Writes the 24-byte mandatory section (we never send authentication).</summary>
    public int Encode(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException("a BFD control packet needs 24 bytes", nameof(destination));
        destination[0] = (byte)((Version << 5) | ((byte)Diagnostic & 0x1F));
        destination[1] = (byte)(((byte)State << 6) | (Poll ? 0x20 : 0) | (Final ? 0x10 : 0) | (ControlPlaneIndependent ? 0x08 : 0)
            | (AuthenticationPresent ? 0x04 : 0) | (Demand ? 0x02 : 0) | (Multipoint ? 0x01 : 0));
        destination[2] = DetectMult;
        destination[3] = Size;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], MyDiscriminator);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], YourDiscriminator);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], DesiredMinTxInterval);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RequiredMinRxInterval);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], RequiredMinEchoRxInterval);
        return Size;
    }
}
