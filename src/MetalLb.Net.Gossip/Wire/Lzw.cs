namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// LZW as Go's compress/lzw does it with LSB bit order and 8-bit literals, the only algorithm
/// memberlist compresses with: codes start 9 bits wide and grow to 12, 256 is clear, 257 is
/// end of data, a clear code is sent first and whenever the 4095-code table fills.
/// </summary>
internal static class Lzw
{
    private const int Clear = 256;
    private const int Eof = 257;
    private const int MaxWidth = 12;
    private const int MaxCode = (1 << MaxWidth) - 1;

    public static byte[] Compress(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length / 2 + 8);
        uint bits = 0;
        var nBits = 0;
        var width = 9;
        var hi = Eof;
        var overflow = 512;
        var table = new Dictionary<int, int>();

        void Emit(int code)
        {
            bits |= (uint)code << nBits;
            nBits += width;
            while (nBits >= 8)
            {
                output.Add((byte)bits);
                bits >>= 8;
                nBits -= 8;
            }
        }

        // Returns false when the table just filled and was reset (after a clear code).
        bool IncrementHi()
        {
            hi++;
            if (hi == overflow)
            {
                width++;
                overflow <<= 1;
            }
            if (hi != MaxCode)
                return true;
            Emit(Clear);
            width = 9;
            hi = Eof;
            overflow = 512;
            table.Clear();
            return false;
        }

        Emit(Clear);
        if (!input.IsEmpty)
        {
            int code = input[0];
            foreach (var literal in input[1..])
            {
                var key = (code << 8) | literal;
                if (table.TryGetValue(key, out var found))
                {
                    code = found;
                    continue;
                }
                Emit(code);
                code = literal;
                if (IncrementHi())
                    table[key] = hi;
            }
            Emit(code);
            IncrementHi();
        }
        Emit(Eof);
        if (nBits > 0)
            output.Add((byte)bits);
        return [.. output];
    }

    /// <summary>
    /// Decompresses at most <paramref name="maxOutput"/> bytes. Returns false on an invalid code,
    /// a missing end code or output past the bound, never throws.
    /// </summary>
    public static bool TryDecompress(ReadOnlySpan<byte> input, int maxOutput, out byte[] result)
    {
        result = [];
        var output = new List<byte>(Math.Min(maxOutput, input.Length * 3 + 16));
        var prefix = new ushort[1 << MaxWidth];
        var suffix = new byte[1 << MaxWidth];
        Span<byte> scratch = stackalloc byte[1 << MaxWidth];
        uint bits = 0;
        var nBits = 0;
        var width = 9;
        var hi = Eof;
        var overflow = 512;
        var last = -1;
        var position = 0;

        while (true)
        {
            while (nBits < width)
            {
                if (position >= input.Length)
                    return false;   // ran out before the end code
                bits |= (uint)input[position++] << nBits;
                nBits += 8;
            }
            var code = (int)(bits & ((1u << width) - 1));
            bits >>= width;
            nBits -= width;

            if (code == Clear)
            {
                width = 9;
                hi = Eof;
                overflow = 512;
                last = -1;
                continue;
            }
            if (code == Eof)
            {
                result = [.. output];
                return true;
            }
            int first;
            if (code < Clear)
            {
                if (output.Count >= maxOutput)
                    return false;
                output.Add((byte)code);
                first = code;
            }
            else if (code <= hi && last >= 0)
            {
                // Expand the code's chain backwards into scratch; code == hi is LZW's KwKwK case,
                // whose string is last's string followed by last's first byte.
                var i = scratch.Length;
                var c = code == hi ? last : code;
                while (c >= Clear)
                {
                    scratch[--i] = suffix[c];
                    c = prefix[c];
                }
                scratch[--i] = (byte)c;
                first = c;
                var length = scratch.Length - i;
                if (output.Count + length + (code == hi ? 1 : 0) > maxOutput)
                    return false;
                foreach (var b in scratch[i..])
                    output.Add(b);
                if (code == hi)
                    output.Add((byte)first);
            }
            else
            {
                return false;
            }

            if (last >= 0)
            {
                suffix[hi] = (byte)first;
                prefix[hi] = (ushort)last;
            }
            last = code;
            hi++;
            if (hi >= overflow)
            {
                if (width == MaxWidth)
                {
                    // Table full: the encoder must clear next; until then nothing new is defined.
                    last = -1;
                    hi--;
                }
                else
                {
                    width++;
                    overflow <<= 1;
                }
            }
        }
    }
}
