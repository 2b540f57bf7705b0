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
        var encoder = new Encoder(input.Length);
        encoder.Emit(Clear);
        if (!input.IsEmpty)
        {
            var table = EncodeTable.ForThisThread();
            int code = input[0];
            foreach (var literal in input[1..])
            {
                var key = (code << 8) | literal;
                if (table.TryGet(key, out var found))
                {
                    code = found;
                    continue;
                }
                encoder.Emit(code);
                code = literal;
                if (encoder.IncrementHi(table))
                    table.Add(key, encoder.Hi);
            }
            encoder.Emit(code);
            encoder.IncrementHi(table);
        }
        encoder.Emit(Eof);
        return encoder.Finish();
    }

    /// <summary>
    /// Decompresses at most <paramref name="maxOutput"/> bytes. Returns false on an invalid code,
    /// a missing end code or output past the bound, never throws.
    /// </summary>
    public static bool TryDecompress(ReadOnlySpan<byte> input, int maxOutput, out byte[] result)
    {
        result = [];
        var output = new List<byte>(Math.Min(maxOutput, input.Length * 3 + 16));
        var table = new DecodeTable();
        var reader = new CodeReader(input);
        while (reader.TryRead(table.Width, out var code))
        {
            if (code == Clear)
            {
                table.Reset();
                continue;
            }
            if (code == Eof)
            {
                result = [.. output];
                return true;
            }
            if (!table.TryExpand(code, output, maxOutput, out var first))
                return false;
            table.Define(code, first);
        }
        return false;   // ran out before the end code
    }

    /// <summary>Packs codes LSB first into bytes; the code width grows as the table fills.</summary>
    private sealed class Encoder(int inputLength)
    {
        private byte[] _output = new byte[inputLength * 2 + 8];
        private int _length;
        private uint _bits;
        private int _nBits;
        private int _width = 9;
        private int _overflow = 512;

        public int Hi { get; private set; } = Eof;

        public void Emit(int code)
        {
            _bits |= (uint)code << _nBits;
            _nBits += _width;
            while (_nBits >= 8)
            {
                Append((byte)_bits);
                _bits >>= 8;
                _nBits -= 8;
            }
        }

        /// <summary>Returns false when the table just filled and was reset (after a clear code).</summary>
        public bool IncrementHi(EncodeTable table)
        {
            Hi++;
            if (Hi == _overflow)
            {
                _width++;
                _overflow <<= 1;
            }
            if (Hi != MaxCode)
                return true;
            Emit(Clear);
            _width = 9;
            Hi = Eof;
            _overflow = 512;
            table.Clear();
            return false;
        }

        public byte[] Finish()
        {
            if (_nBits > 0)
                Append((byte)_bits);
            return _output.AsSpan(0, _length).ToArray();
        }

        private void Append(byte value)
        {
            if (_length == _output.Length)
                Array.Resize(ref _output, _output.Length * 2);
            _output[_length++] = value;
        }
    }

    /// <summary>
    /// The encoder's (prefix code, next byte) -> code map as an open-addressed table, one per
    /// thread and cleared by bumping a stamp: every packet we send is compressed, and a fresh
    /// Dictionary per packet was most of the cost.
    /// </summary>
    private sealed class EncodeTable
    {
        private const int Size = 1 << 13;   // twice the 4096 codes, so probes stay short
        [ThreadStatic]
        private static EncodeTable? _current;
        private readonly int[] _keys = new int[Size];
        private readonly int[] _values = new int[Size];
        private readonly int[] _stamps = new int[Size];
        private int _stamp;

        public static EncodeTable ForThisThread()
        {
            var table = _current ??= new EncodeTable();
            table.Clear();
            return table;
        }

        public void Clear()
        {
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_stamps);
                _stamp = 1;
            }
        }

        public bool TryGet(int key, out int value)
        {
            for (var i = Slot(key); _stamps[i] == _stamp; i = (i + 1) & (Size - 1))
            {
                if (_keys[i] == key)
                {
                    value = _values[i];
                    return true;
                }
            }
            value = 0;
            return false;
        }

        public void Add(int key, int value)
        {
            var i = Slot(key);
            while (_stamps[i] == _stamp)
                i = (i + 1) & (Size - 1);
            _stamps[i] = _stamp;
            _keys[i] = key;
            _values[i] = value;
        }

        private static int Slot(int key) => (int)(((uint)key * 2654435761u) >> 19);   // Fibonacci hashing to 13 bits
    }

    /// <summary>Reads codes LSB first; false when the input runs out.</summary>
    private ref struct CodeReader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> _input = input;
        private uint _bits;
        private int _nBits;
        private int _position;

        public bool TryRead(int width, out int code)
        {
            code = 0;
            while (_nBits < width)
            {
                if (_position >= _input.Length)
                    return false;
                _bits |= (uint)_input[_position++] << _nBits;
                _nBits += 8;
            }
            code = (int)(_bits & ((1u << width) - 1));
            _bits >>= width;
            _nBits -= width;
            return true;
        }
    }

    /// <summary>The decoder's table: each code above 257 is an earlier code plus one byte.</summary>
    private sealed class DecodeTable
    {
        private readonly ushort[] _prefix = new ushort[1 << MaxWidth];
        private readonly byte[] _suffix = new byte[1 << MaxWidth];
        private readonly byte[] _scratch = new byte[1 << MaxWidth];
        private int _hi = Eof;
        private int _overflow = 512;
        private int _last = -1;

        public int Width { get; private set; } = 9;

        public void Reset()
        {
            Width = 9;
            _hi = Eof;
            _overflow = 512;
            _last = -1;
        }

        /// <summary>Appends what <paramref name="code"/> stands for; false for an undefined code or output past the bound.</summary>
        public bool TryExpand(int code, List<byte> output, int maxOutput, out int first)
        {
            first = 0;
            if (code < Clear)
            {
                if (output.Count >= maxOutput)
                    return false;
                output.Add((byte)code);
                first = code;
                return true;
            }
            if (code > _hi || _last < 0)
                return false;
            // Expand the code's chain backwards into scratch; code == hi is LZW's KwKwK case,
            // whose string is last's string followed by last's first byte.
            var i = _scratch.Length;
            var c = code == _hi ? _last : code;
            while (c >= Clear)
            {
                _scratch[--i] = _suffix[c];
                c = _prefix[c];
            }
            _scratch[--i] = (byte)c;
            first = c;
            var length = _scratch.Length - i;
            if (output.Count + length + (code == _hi ? 1 : 0) > maxOutput)
                return false;
            output.AddRange(_scratch.AsSpan(i));
            if (code == _hi)
                output.Add((byte)first);
            return true;
        }

        /// <summary>Records the new code (the previous string plus <paramref name="first"/>) and widens codes when due.</summary>
        public void Define(int code, int first)
        {
            if (_last >= 0)
            {
                _suffix[_hi] = (byte)first;
                _prefix[_hi] = (ushort)_last;
            }
            _last = code;
            _hi++;
            if (_hi < _overflow)
                return;
            if (Width == MaxWidth)
            {
                // Table full: the encoder must clear next; until then nothing new is defined.
                _last = -1;
                _hi--;
            }
            else
            {
                Width++;
                _overflow <<= 1;
            }
        }
    }
}
