namespace MetalLb.Net.Bgp.Tests;

internal static class Hex
{
    /// <summary>Hex with spaces, '|' separators and '#' comments allowed, so expectations read like RFC diagrams.</summary>
    public static byte[] Parse(string text) => Convert.FromHexString(string.Concat(
        text.Split('\n').Select(l => l.Split('#')[0]).SelectMany(l => l.Where(Uri.IsHexDigit))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Encodes into a buffer pre-filled with 0xFF so a byte we forget to write shows up.</summary>
    public static byte[] EncodeDirty(MetalLb.Net.Bgp.Wire.BgpMessage message)
    {
        var buffer = new byte[message.GetEncodedLength() + 8];
        buffer.AsSpan().Fill(0xFF);
        var n = message.Encode(buffer);
        Assert.Equal(message.GetEncodedLength(), n);
        Assert.All(buffer[n..], b => Assert.Equal(0xFF, b));
        return buffer[..n];
    }
}
