using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Wire;

/// <summary>
/// Seeded random and mutated messages through every decoder: only defined decode errors come
/// out, never an exception, and every call returns. CI runs a fast subset; set
/// BGP_FUZZ_ITERATIONS=1000000 for the long run. A failing input is printed as hex so it can be
/// kept in testdata/crashers/.
/// </summary>
public class RobustnessTests
{
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("BGP_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 40_000;

    private static List<byte[]> Seeds()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "testdata", "golden");
        var seeds = Directory.GetFiles(folder, "*.hex").Select(f => Hex.Parse(File.ReadAllText(f))).ToList();
        var ctx = new UpdateEncodingContext(4200000001, false, false, IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1"));
        var attrs = new AdvertisedAttributes(7, 9, [1, 2], [new LargeCommunity(1, 2, 3)]);
        seeds.AddRange(UpdateBuilder.Announce(ctx, attrs, [NlriPrefix.Parse("203.0.113.0/24"), NlriPrefix.Parse("198.51.100.7/32")]).Select(u => u.ToArray()));
        seeds.AddRange(UpdateBuilder.Announce(ctx, attrs, [NlriPrefix.Parse("2001:db8:7::/48")]).Select(u => u.ToArray()));
        seeds.AddRange(UpdateBuilder.Withdraw(ctx, [NlriPrefix.Parse("2001:db8:7::/48")]).Select(u => u.ToArray()));
        seeds.Add(new RouteRefreshMessage(Afi.IPv4, 0, Safi.Unicast).ToArray());
        return seeds;
    }

    [Fact]
    public void Mutated_messages_only_produce_defined_errors()
    {
        var seeds = Seeds();
        var random = new Random(20261124);
        var outcomes = new int[3];
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], random);
            outcomes[(int)Decode(input) switch { 0 => 0, 2 => 1, _ => 2 }]++;
        }
        // The mutations must reach both outcomes, or this test proves nothing.
        Assert.True(outcomes[0] > Iterations / 20, $"decoded {outcomes[0]}");
        Assert.True(outcomes[1] > Iterations / 20, $"rejected {outcomes[1]}");
    }

    [Fact]
    public void Random_bodies_behind_a_valid_header_only_produce_defined_errors()
    {
        var random = new Random(4271);
        for (var i = 0; i < Iterations / 2; i++)
        {
            var type = (byte)random.Next(1, 6);
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            var msg = new byte[19 + body.Length];
            BgpHeader.Write(msg, msg.Length, (BgpMessageType)type);
            body.CopyTo(msg, 19);
            Decode(msg);
        }
    }

    [Fact]
    public void Kept_crashers_decode_without_throwing()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "testdata", "crashers");
        foreach (var f in Directory.GetFiles(folder, "*.hex"))
            Decode(Hex.Parse(File.ReadAllText(f)));
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var m = seed.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            if (m.Count == 0)
                break;
            switch (random.Next(5))
            {
                case 0: m[random.Next(m.Count)] ^= (byte)(1 << random.Next(8)); break;
                case 1: m[m.Count > 19 ? random.Next(19, m.Count) : random.Next(m.Count)] = (byte)random.Next(256); break;
                case 2: m.RemoveRange(random.Next(m.Count), 1); break;
                case 3: m.Insert(random.Next(m.Count), (byte)random.Next(256)); break;
                default:
                    var cut = random.Next(m.Count);
                    m.RemoveRange(cut, m.Count - cut);
                    break;
            }
        }
        var bytes = m.ToArray();
        // Usually keep the header's length honest so the body parsers, not the header check, see the damage.
        if (bytes.Length >= 19 && random.Next(4) != 0)
        {
            bytes.AsSpan(0, 16).Fill(0xFF);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16), (ushort)bytes.Length);
        }
        return bytes;
    }

    /// <summary>0 decoded, 1 need more data, 2 rejected with a NOTIFICATION.</summary>
    private static int Decode(byte[] input)
    {
        try
        {
            var status = BgpMessageReader.TryRead(input, out var message, out var consumed, out var error);
            switch (status)
            {
                case OperationStatus.Done:
                    Assert.InRange(consumed, 19, input.Length);
                    Exercise(message!);
                    return 0;
                case OperationStatus.NeedMoreData:
                    return 1;
                case OperationStatus.InvalidData:
                    Assert.True(error.IsError);
                    Assert.InRange((int)error.Code, 1, 7);
                    return 2;
                default:
                    throw new InvalidOperationException(status.ToString());
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{e.GetType().Name} on {Hex.Of(input)}: {e.Message}");
            return -1;
        }
    }

    private static void Exercise(BgpMessage message)
    {
        switch (message)
        {
            case UpdateMessage u:
                foreach (var four in new[] { true, false })
                    foreach (var ibgp in new[] { true, false })
                    {
                        var r = UpdateValidator.Validate(u, four, ibgp);
                        if (r.Action == UpdateErrorAction.SessionReset)
                            Assert.Equal(BgpErrorCode.UpdateMessage, r.Error.Code);
                    }
                if (!u.AttributeListTruncated)
                    Assert.Equal(message.GetEncodedLength(), message.ToArray().Length);
                break;
            case OpenMessage o:
                _ = o.PeerAs;
                foreach (var c in o.Capabilities)
                {
                    c.TryGetMultiprotocol(out _, out _);
                    if (c.Code == CapabilityCode.GracefulRestart)
                        _ = GracefulRestartCapability.TryParse(c.Value.Span, out _);
                }
                Assert.Equal(message.GetEncodedLength(), message.ToArray().Length);
                break;
            default:
                Assert.Equal(message.GetEncodedLength(), message.ToArray().Length);
                break;
        }
    }
}
