using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Wire;

public sealed class LzwTests
{
    // Go 1.19 compress/lzw, LSB order, 8-bit literals, on the text below.
    private const string GoCompressed = "00c388114870a0c18220da946923a68c1c3669e6d049b8b0e1c3881315327408516240";
    private const string Text = "abababababababab memberlist memberlist memberlist";

    [Fact]
    public void Compresses_exactly_as_go()
    {
        Assert.Equal(GoCompressed, Convert.ToHexStringLower(Lzw.Compress(System.Text.Encoding.ASCII.GetBytes(Text))));
    }

    [Fact]
    public void Decompresses_go_output()
    {
        Assert.True(Lzw.TryDecompress(Convert.FromHexString(GoCompressed), 1000, out var plain));
        Assert.Equal(Text, System.Text.Encoding.ASCII.GetString(plain));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(300, 3)]
    [InlineData(70_000, 4)]      // past 4095 codes: the table fills and is cleared
    [InlineData(200_000, 5)]
    public void Round_trips(int length, int seed)
    {
        var random = new Random(seed);
        var data = new byte[length];
        // Low-entropy bytes make long codes and many table resets; some random runs keep literals coming.
        for (var i = 0; i < length; i++)
            data[i] = (byte)(i % 7 == 0 ? random.Next(256) : random.Next(4));
        Assert.True(Lzw.TryDecompress(Lzw.Compress(data), length, out var back));
        Assert.Equal(data, back);
    }

    [Fact]
    public void Refuses_output_past_the_bound()
    {
        var data = new byte[10_000];
        Assert.False(Lzw.TryDecompress(Lzw.Compress(data), 9_999, out _));
    }
}
