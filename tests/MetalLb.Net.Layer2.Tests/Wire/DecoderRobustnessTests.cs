using System.Buffers;
using MetalLb.Net.Layer2.Interfaces;
using MetalLb.Net.Layer2.Tests.Interfaces;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Tests.Wire;

/// <summary>
/// Every decoder gets seeded random bytes, every truncation of a real frame and seeded single-byte
/// mutations of it: it must answer with a status, never throw. Seeds are fixed so a failure
/// reproduces; any input that ever breaks a decoder becomes a named case in the table tests.
/// </summary>
public sealed class DecoderRobustnessTests
{
    private const int Iterations = 20_000;

    public delegate OperationStatus Decoder(ReadOnlySpan<byte> input);

    public static TheoryData<string> Decoders => new(DecoderTable.Keys);

    // Each decoder, a real input, and which shorter lengths are still a complete input on their
    // own (a header followed by padding; a message whose options were all cut; an empty dump).
    private static readonly Dictionary<string, (Decoder Decode, byte[] Sample, Func<int, bool> CompleteAt)> DecoderTable = new()
    {
        ["ethernet"] = (s => EthernetHeader.TryRead(s, out _), Golden.ArpingRequest, n => n >= 14),
        ["arp"] = (s => ArpPacket.TryRead(s, out _), Golden.ArpingRequest[14..], n => n >= 28),
        ["ipv6"] = (s => Ipv6Header.TryRead(s, out _), Golden.Ndisc6Solicitation[14..], _ => false),
        ["neighbor solicitation"] = (s => NeighborSolicitation.TryRead(s, out _), Golden.Ndisc6Solicitation[54..], n => n == 24),
        ["neighbor advertisement"] = (s => NeighborAdvertisement.TryRead(s, out _), Golden.KernelAdvertisement[54..], n => n == 24),
        ["ndp options"] = (s => NdpOptions.TryFindLinkLayerAddress(s, NdpOptionType.SourceLinkLayerAddress, out _), Golden.Ndisc6Solicitation[78..], n => n == 0),
        ["netlink"] = (s => NetlinkParser.TryParse(s, [], [], out _), NetlinkParserTests.LinkMessage(), n => n == 0),
    };

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Random_bytes_never_throw(string name)
    {
        var decode = DecoderTable[name].Decode;
        var random = new Random(0x12_06);
        var buffer = new byte[160];
        for (int i = 0; i < Iterations; i++)
        {
            random.NextBytes(buffer);
            var status = decode(buffer.AsSpan(0, random.Next(buffer.Length)));
            Assert.True(Enum.IsDefined(status));
        }
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Every_truncation_of_a_real_frame_is_refused_not_thrown(string name)
    {
        var (decode, sample, completeAt) = DecoderTable[name];
        Assert.Equal(OperationStatus.Done, decode(sample));
        for (int length = 0; length < sample.Length; length++)
        {
            var status = decode(sample.AsSpan(0, length));
            Assert.True(completeAt(length) == (status == OperationStatus.Done), $"length {length}: {status}");
        }
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Mutated_real_frames_never_throw(string name)
    {
        var (decode, sample, _) = DecoderTable[name];
        var random = new Random(0x4861);
        for (int i = 0; i < Iterations; i++)
        {
            var mutated = sample.ToArray();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            Assert.True(Enum.IsDefined(decode(mutated)));
        }
    }
}
