using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Tests.Bfd;

public class BfdControlPacketTests
{
    private static readonly BfdControlPacket Sample = new()
    {
        Diagnostic = BfdDiagnostic.ControlDetectionTimeExpired, State = BfdState.Up, Poll = true, DetectMult = 3,
        MyDiscriminator = 0x01020304, YourDiscriminator = 0xA0B0C0D0,
        DesiredMinTxInterval = 300_000, RequiredMinRxInterval = 250_000, RequiredMinEchoRxInterval = 50_000,
    };

    [Fact]
    public void Encodes_the_RFC_5880_layout_byte_for_byte()
    {
        var buffer = Enumerable.Repeat((byte)0xFF, 32).ToArray();   // dirty buffer: a byte we forget shows up
        Assert.Equal(24, Sample.Encode(buffer));
        Assert.Equal(
            "21e00318" + "01020304" + "a0b0c0d0" + "000493e0" + "0003d090" + "0000c350",
            Convert.ToHexStringLower(buffer.AsSpan(0, 24)));
        Assert.All(buffer[24..], b => Assert.Equal(0xFF, b));
    }

    public static TheoryData<string, BfdControlPacket> RoundTrips => new()
    {
        { "sample", Sample },
        { "down, no discriminator yet", new() { State = BfdState.Down, DetectMult = 1, MyDiscriminator = 1, DesiredMinTxInterval = 1_000_000 } },
        { "final", Sample with { Poll = false, Final = true } },
        { "admin down with diag 7", new() { State = BfdState.AdminDown, Diagnostic = BfdDiagnostic.AdministrativelyDown, DetectMult = 255, MyDiscriminator = uint.MaxValue } },
        { "C and D bits", Sample with { ControlPlaneIndependent = true, Demand = true } },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Round_trips(string name, BfdControlPacket packet)
    {
        var buffer = new byte[24];
        packet.Encode(buffer);
        Assert.True(BfdControlPacket.TryRead(buffer, out var read, out var error), $"{name}: {error}");
        Assert.Equal(packet, read);
    }

    private static byte[] Bytes(BfdControlPacket p, Action<byte[]>? edit = null)
    {
        var b = new byte[24];
        p.Encode(b);
        edit?.Invoke(b);
        return b;
    }

    public static TheoryData<string, byte[], BfdDecodeError> Rejected => new()
    {
        { "23 bytes", Bytes(Sample)[..23], BfdDecodeError.TooShort },
        { "version 0", Bytes(Sample, b => b[0] &= 0x1F), BfdDecodeError.BadVersion },
        { "version 2", Bytes(Sample, b => b[0] = (byte)((b[0] & 0x1F) | 0x40)), BfdDecodeError.BadVersion },
        { "length 23", Bytes(Sample, b => b[3] = 23), BfdDecodeError.BadLength },
        { "length beyond the datagram", Bytes(Sample, b => b[3] = 40), BfdDecodeError.BadLength },
        { "detect mult 0", Bytes(Sample with { DetectMult = 0 }), BfdDecodeError.ZeroDetectMultiplier },
        { "multipoint", Bytes(Sample with { Multipoint = true }), BfdDecodeError.Multipoint },
        { "my discriminator 0", Bytes(Sample with { MyDiscriminator = 0 }), BfdDecodeError.ZeroMyDiscriminator },
        { "your discriminator 0 while Up", Bytes(Sample with { YourDiscriminator = 0 }), BfdDecodeError.ZeroYourDiscriminator },
        { "A bit, no room for the section", Bytes(Sample with { AuthenticationPresent = true }), BfdDecodeError.BadLength },
        { "A bit, simple password", [.. Bytes(Sample with { AuthenticationPresent = true }, b => b[3] = 30), 1, 6, 1, (byte)'a', (byte)'b', (byte)'c'], BfdDecodeError.AuthenticationNotSupported },
        { "A bit, keyed MD5 with a short Auth Len", [.. Bytes(Sample with { AuthenticationPresent = true }, b => b[3] = 30), 2, 6, 1, 0, 0, 0], BfdDecodeError.BadAuthentication },
        { "A bit, Auth Len past Length", [.. Bytes(Sample with { AuthenticationPresent = true }, b => b[3] = 26), 1, 6, 1, 0, 0, 0], BfdDecodeError.BadAuthentication },
        { "A bit, unknown type", [.. Bytes(Sample with { AuthenticationPresent = true }, b => b[3] = 28), 9, 4, 1, 0], BfdDecodeError.BadAuthentication },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Rejects_what_RFC_5880_section_6_8_6_discards(string name, byte[] input, BfdDecodeError expected)
    {
        Assert.False(BfdControlPacket.TryRead(input, out _, out var error), name);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Your_discriminator_zero_is_fine_while_down()
    {
        Assert.True(BfdControlPacket.TryRead(Bytes(Sample with { State = BfdState.Down, YourDiscriminator = 0 }), out var p, out _));
        Assert.Equal(BfdState.Down, p.State);
    }

    [Fact]
    public void Trailing_bytes_beyond_length_are_ignored()
    {
        Assert.True(BfdControlPacket.TryRead([.. Bytes(Sample), 0xEE, 0xEE], out var p, out _));
        Assert.Equal(Sample, p);
    }
}
