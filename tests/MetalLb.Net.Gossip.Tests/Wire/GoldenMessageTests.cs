using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Wire;

/// <summary>
/// Bytes written by Go's go-msgpack (the codec memberlist 0.2.2 uses, Debian's
/// golang-github-hashicorp-go-msgpack-dev) for memberlist's struct shapes, printed by a
/// throwaway Go program on the project machine. We must write and read exactly these.
/// </summary>
public sealed class GoldenMessageTests
{
    public static TheoryData<string, string, object> Cases => new()
    {
        { "ping", "0082a44e6f6465a66e6f64652d61a55365714e6fcd012c", new Ping(300, "node-a") },
        {
            "alive",
            "0486a441646472a4c0000207ab496e6361726e6174696f6ece00011170a44d657461a0a44e6f6465a66e6f64652d62a4506f7274cd1f0aa356736ea6010502000000",
            new Alive(70000, "node-b", [192, 0, 2, 7], 7946, [], [1, 5, 2, 0, 0, 0])
        },
        { "suspect", "0383a446726f6da66e6f64652d61ab496e6361726e6174696f6e01a44e6f6465a66e6f64652d63", new Suspect(1, "node-c", "node-a") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_as_go_msgpack_does(string name, string hex, object value)
    {
        var message = (IWireMessage)value;
        Assert.True(Convert.ToHexStringLower(WireMessage.Encode(message)) == hex, name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decodes_go_bytes(string name, string hex, object value)
    {
        var expected = (IWireMessage)value;
        var bytes = Convert.FromHexString(hex);
        Assert.True(WireMessage.TryDecode((MessageType)bytes[0], bytes.AsSpan(1), out var decoded), name);
        // Records compare arrays by reference, so compare through the encoder.
        Assert.Equal(Convert.ToHexStringLower(WireMessage.Encode(expected)), Convert.ToHexStringLower(WireMessage.Encode(decoded!)));
        Assert.Equal(expected.GetType(), decoded!.GetType());
    }

    [Fact]
    public void Push_pull_header_matches_go()
    {
        var bytes = StreamFrame.EncodePushPull(new PushPullHeader(2, 0, true), []);
        Assert.Equal("0683a44a6f696ec3a54e6f64657302ac5573657253746174654c656e00", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Reads_newer_encodings_of_the_same_values()
    {
        // str8 key and value, bin8 addr, int8 incarnation: what a msgpack v2 encoder may write.
        byte[] body =
        [
            0x83,
            0xd9, 4, (byte)'N', (byte)'o', (byte)'d', (byte)'e', 0xd9, 1, (byte)'x',
            0xab, .. "Incarnation"u8, 0xd0, 5,
            0xa4, .. "From"u8, 0xc0,
        ];
        Assert.True(WireMessage.TryDecode(MessageType.Dead, body, out var decoded));
        Assert.Equal(new Dead(5, "x", ""), decoded);
    }

    [Fact]
    public void Ignores_unknown_fields()
    {
        // {"SeqNo": 7, "Label": [1, {"a": 2}]}: a field this version does not know, skipped whole.
        byte[] body = [0x82, 0xa5, .. "SeqNo"u8, 7, 0xa5, .. "Label"u8, 0x92, 1, 0x81, 0xa1, (byte)'a', 2];
        Assert.True(WireMessage.TryDecode(MessageType.NackResponse, body, out var decoded));
        Assert.Equal(new Nack(7), decoded);
    }
}
