using System.Globalization;
using MetalLb.Net.Bgp.Bfd.Wire;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>
/// Seeded random and mutated control packets: the decoder gives a packet or a defined error,
/// never an exception. BFD_FUZZ_ITERATIONS sets the count (200,000 by default). A failing
/// input is printed as hex, to keep as a named case.
/// </summary>
public class BfdRobustnessTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("BFD_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 200_000;

    private static readonly byte[][] Seeds =
    [
        Encode(new() { State = BfdState.Up, DetectMult = 3, MyDiscriminator = 7, YourDiscriminator = 9, DesiredMinTxInterval = 300_000, RequiredMinRxInterval = 300_000 }),
        Encode(new() { State = BfdState.Down, DetectMult = 3, MyDiscriminator = 7, DesiredMinTxInterval = 1_000_000, RequiredMinRxInterval = 300_000, Poll = true }),
        Encode(new() { State = BfdState.Down, DetectMult = 3, MyDiscriminator = 1, DesiredMinTxInterval = 1_000_000, RequiredMinRxInterval = 300_000, RequiredMinEchoRxInterval = 50_000 }),
        [.. Encode(new() { State = BfdState.Init, AuthenticationPresent = true, DetectMult = 3, MyDiscriminator = 7 }, 48), 4, 28, 1, 0, .. new byte[20]],
    ];

    private static byte[] Encode(BfdControlPacket p, byte length = 24)
    {
        var b = new byte[24];
        p.Encode(b);
        b[3] = length;
        return b;
    }

    [Fact]
    public void Mutated_packets_only_produce_defined_errors()
    {
        var random = new Random(5880);
        var outcomes = new Dictionary<BfdDecodeError, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(Seeds[random.Next(Seeds.Length)], random);
            BfdDecodeError error;
            try
            {
                BfdControlPacket.TryRead(input, out _, out error);
            }
            catch (Exception e)
            {
                Assert.Fail($"threw {e.GetType().Name} on {Convert.ToHexString(input)}");
                throw;
            }
            Assert.True(Enum.IsDefined(error), Convert.ToHexString(input));
            outcomes[error] = outcomes.GetValueOrDefault(error) + 1;
        }
        // Mutations must reach acceptance and most of the rejections, or this proves little.
        Assert.True(outcomes.GetValueOrDefault(BfdDecodeError.None) > Iterations / 20, string.Join(", ", outcomes));
        Assert.True(outcomes.Count >= 8, string.Join(", ", outcomes));
    }

    [Fact]
    public void Random_bytes_only_produce_defined_errors()
    {
        var random = new Random(5881);
        for (var i = 0; i < Iterations / 2; i++)
        {
            var input = new byte[random.Next(0, 80)];
            random.NextBytes(input);
            if (random.Next(2) == 0 && input.Length > 3)
                input[0] = (byte)((input[0] & 0x1F) | 0x20);   // version 1, to get past the first check
            BfdControlPacket.TryRead(input, out _, out var error);
            Assert.True(Enum.IsDefined(error));
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var b = seed.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(5))
            {
                case 0 when b.Count > 0:
                    b[random.Next(b.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when b.Count > 0:
                    b[random.Next(b.Count)] = (byte)random.Next(256);
                    break;
                case 2:
                    var cut = random.Next(b.Count + 1);   // truncate
                    b.RemoveRange(cut, b.Count - cut);
                    break;
                case 3:
                    b.Insert(random.Next(b.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    if (b.Count > 3)
                        b[3] = (byte)random.Next(256);   // the Length field, the claim most worth lying about
                    break;
            }
        }
        return [.. b];
    }
}
