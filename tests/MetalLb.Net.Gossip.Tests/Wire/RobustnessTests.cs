using System.Buffers;
using System.Security.Cryptography;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Wire;

/// <summary>Seeded random and mutated inputs: every decoder returns an error, never throws.</summary>
public sealed class RobustnessTests
{
    private static byte[][] Seeds()
    {
        var states = new List<PushNodeState>
        {
            new("a", [127, 0, 0, 1], 7946, [], 2, Gossip.Swim.MemberState.Alive, [1, 5, 2, 0, 0, 0]),
            new("b", [127, 0, 0, 2], 7947, [1, 2], 9, Gossip.Swim.MemberState.Suspect, [1, 5, 2, 0, 0, 0]),
        };
        return
        [
            PacketCodec.Encode([WireMessage.Encode(new Ping(1, "a", [127, 0, 0, 1], 1, "b"))], false, false, null),
            PacketCodec.Encode([WireMessage.Encode(new IndirectPing(9, [127, 0, 0, 1], 7946, "x", true)), WireMessage.Encode(new Ack(9, [1]))], false, true, null),
            PacketCodec.Encode([WireMessage.Encode(new Suspect(1, "a", "b")), WireMessage.Encode(new Alive(3, "b", [1, 2, 3, 4], 1, [], [1, 5, 2, 0, 0, 0]))], true, false, null),
            StreamFrame.Encode(StreamFrame.EncodePushPull(new PushPullHeader(2, 0, true), states), false, null),
            StreamFrame.Encode(StreamFrame.EncodePushPull(new PushPullHeader(2, 0, false), states), true, null),
        ];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mutated_packets_never_throw(int seed)
    {
        var random = new Random(seed);
        var seeds = Seeds();
        var errors = 0;
        for (var i = 0; i < 4000; i++)
        {
            var input = (byte[])seeds[random.Next(seeds.Length)].Clone();
            Mutate(random, ref input);
            var output = new List<IWireMessage>();
            if (PacketCodec.Decode(input, null, output) != PacketError.None)
                errors++;
            StreamFrame.TryRead(input, null, out _, out _);
        }
        // The mutations must actually reach the error paths, or this test proves nothing.
        Assert.InRange(errors, 100, 4000);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public void Random_bytes_never_throw(int seed)
    {
        var random = new Random(seed);
        var keyring = new Keyring(RandomNumberGenerator.GetBytes(32));
        var errors = 0;
        for (var i = 0; i < 4000; i++)
        {
            var input = new byte[random.Next(0, 300)];
            random.NextBytes(input);
            if (i % 2 == 0 && input.Length > 0)
                input[0] = (byte)random.Next(14);   // a plausible type byte gets past the first check
            if (PacketCodec.Decode(input, null, []) != PacketError.None)
                errors++;
            Assert.NotEqual(PacketError.None, PacketCodec.Decode(input, keyring, []));
            StreamFrame.TryRead(input, null, out _, out _);
            StreamFrame.TryRead(input, keyring, out _, out _);
            Lzw.TryDecompress(input, 4096, out _);
        }
        Assert.InRange(errors, 3000, 4000);
    }

    [Fact]
    public void Every_prefix_of_a_stream_is_need_more_data()
    {
        foreach (var frame in Seeds()[3..])
        {
            for (var n = 0; n < frame.Length; n++)
                Assert.Equal(OperationStatus.NeedMoreData, StreamFrame.TryRead(frame.AsSpan(0, n), null, out _, out _));
            Assert.Equal(OperationStatus.Done, StreamFrame.TryRead(frame, null, out var message, out _));
            Assert.Equal(2, message!.States!.Count);
        }
    }

    private static void Mutate(Random random, ref byte[] input)
    {
        switch (random.Next(4))
        {
            case 0:
                for (var k = random.Next(1, 4); k > 0 && input.Length > 0; k--)
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                input = input[..random.Next(input.Length)];
                break;
            case 2:
                if (input.Length > 0)
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                break;
            default:
                var extra = new byte[random.Next(1, 20)];
                random.NextBytes(extra);
                input = [.. input, .. extra];
                break;
        }
    }
}
