using System.Buffers.Binary;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// The UDP packet pipeline in memberlist's order. Outbound: compound (when piggybacking), then
/// compress (only if smaller), then the hasCrc header (for peers speaking protocol 5), then
/// encrypt. Inbound reverses it and flattens compound and compressed messages.
/// </summary>
internal static class PacketCodec
{
    /// <summary>Nothing memberlist sends nests deeper than compress(compound(...)).</summary>
    private const int MaxDepth = 4;

    /// <summary>A UDP datagram cannot decompress to more than this without being hostile.</summary>
    private const int MaxDecompressed = 1 << 20;

    /// <summary>Packets shorter than this go uncompressed (memberlist would send them uncompressed too: not smaller).</summary>
    internal const int MinCompressible = 128;

    public static byte[] Encode(IReadOnlyList<byte[]> messages, bool compress, bool crc, Keyring? keyring)
    {
        var packet = messages.Count == 1 ? messages[0] : CompoundMessage.Encode(messages);
        // LZW never shrinks a lone ping or ack (nine-bit codes and a 15-byte wrapper), so do not
        // spend CPU on trying: most packets of an idle cluster are exactly those.
        if (compress && packet.Length >= MinCompressible)
        {
            var compressed = Compression.Wrap(packet);
            if (compressed.Length < packet.Length)
                packet = compressed;
        }
        if (crc)
        {
            var framed = new byte[5 + packet.Length];
            framed[0] = (byte)MessageType.HasCrc;
            BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), Crc32Ieee.Compute(packet));
            packet.CopyTo(framed, 5);
            packet = framed;
        }
        return keyring is null ? packet : Encryption.Encrypt(keyring.Primary, packet);
    }

    /// <summary>Decodes every message in the packet into <paramref name="output"/>; never throws on bad input.</summary>
    public static PacketError Decode(ReadOnlyMemory<byte> packet, Keyring? keyring, List<IWireMessage> output)
    {
        if (keyring is not null)
        {
            if (!Encryption.TryDecrypt(keyring, packet.Span, default, out var plain))
                return PacketError.Decrypt;
            packet = plain;
        }
        var span = packet.Span;
        if (span.Length >= 5 && span[0] == (byte)MessageType.HasCrc)
        {
            if (Crc32Ieee.Compute(span[5..]) != BinaryPrimitives.ReadUInt32BigEndian(span[1..]))
                return PacketError.Checksum;
            packet = packet[5..];
        }
        return DecodeCommand(packet, output, 0);
    }

    private static PacketError DecodeCommand(ReadOnlyMemory<byte> buffer, List<IWireMessage> output, int depth)
    {
        if (depth > MaxDepth)
            return PacketError.TooDeep;
        if (buffer.IsEmpty)
            return PacketError.Malformed;
        var type = (MessageType)buffer.Span[0];
        var body = buffer[1..];
        switch (type)
        {
            case MessageType.Compound:
            {
                var parts = new List<ReadOnlyMemory<byte>>();
                if (!CompoundMessage.TrySplit(body, parts, out _))
                    return PacketError.Malformed;
                var result = PacketError.None;
                foreach (var part in parts)
                {
                    // One bad part does not spoil the others, as in memberlist.
                    var error = DecodeCommand(part, output, depth + 1);
                    if (result == PacketError.None)
                        result = error;
                }
                return result;
            }
            case MessageType.Compress:
            {
                var reader = new MsgPackReader(body.Span);
                if (!Compression.TryUnwrap(ref reader, MaxDecompressed, out var inner))
                    return PacketError.Malformed;
                return DecodeCommand(inner, output, depth + 1);
            }
            case MessageType.User:
                return PacketError.None;   // user messages belong to a delegate we do not have
            default:
                if (!WireMessage.TryDecode(type, body.Span, out var message))
                    return message is null && !IsKnown(type) ? PacketError.UnknownType : PacketError.Malformed;
                output.Add(message!);
                return PacketError.None;
        }
    }

    private static bool IsKnown(MessageType type) => type is MessageType.Ping or MessageType.IndirectPing
        or MessageType.AckResponse or MessageType.NackResponse or MessageType.Suspect or MessageType.Alive
        or MessageType.Dead;
}
