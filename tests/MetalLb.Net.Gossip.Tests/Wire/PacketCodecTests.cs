using System.Security.Cryptography;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Wire;

public sealed class PacketCodecTests
{
    private static readonly byte[][] Messages =
    [
        WireMessage.Encode(new Ping(1, "a")),
        WireMessage.Encode(new Alive(3, "b", [127, 0, 0, 1], 7946, [], [1, 5, 2, 0, 0, 0])),
        WireMessage.Encode(new Dead(4, "c", "c")),
    ];

    public static TheoryData<string, bool, bool, bool> Pipelines => new()
    {
        { "plain", false, false, false },
        { "compressed", true, false, false },
        { "crc", false, true, false },
        { "encrypted", false, false, true },
        { "everything", true, true, true },
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Compound_packets_round_trip(string name, bool compress, bool crc, bool encrypt)
    {
        var keyring = encrypt ? new Keyring(RandomNumberGenerator.GetBytes(32)) : null;
        var packet = PacketCodec.Encode(Messages, compress, crc, keyring);
        var output = new List<IWireMessage>();
        Assert.Equal(PacketError.None, PacketCodec.Decode(packet, keyring, output));
        Assert.True(output.Count == 3, name);
        Assert.Equal(Messages[0], WireMessage.Encode(output[0]));
        Assert.IsType<Alive>(output[1]);
        Assert.Equal(new Dead(4, "c", "c"), output[2]);
    }

    [Fact]
    public void A_compound_keeps_the_parts_before_a_truncation()
    {
        var packet = CompoundMessage.Encode(Messages);
        var output = new List<IWireMessage>();
        Assert.Equal(PacketError.None, PacketCodec.Decode(packet.AsMemory(0, packet.Length - 1), null, output));
        Assert.Equal(2, output.Count);
    }

    [Fact]
    public void A_bad_checksum_drops_the_packet()
    {
        var packet = PacketCodec.Encode(Messages, compress: false, crc: true, keyring: null);
        packet[^1] ^= 1;
        Assert.Equal(PacketError.Checksum, PacketCodec.Decode(packet, null, []));
    }

    [Fact]
    public void Plaintext_is_refused_when_a_key_is_installed()
    {
        var packet = PacketCodec.Encode(Messages, false, false, null);
        Assert.Equal(PacketError.Decrypt, PacketCodec.Decode(packet, new Keyring(RandomNumberGenerator.GetBytes(32)), []));
    }

    [Fact]
    public void Nested_compression_past_the_depth_limit_is_refused()
    {
        var packet = WireMessage.Encode(new Nack(1));
        for (var i = 0; i < 6; i++)
            packet = Compression.Wrap(packet);
        Assert.Equal(PacketError.TooDeep, PacketCodec.Decode(packet, null, []));
    }
}
