using System.Buffers;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>Encodes and decodes one typed memberlist message: a type byte then its msgpack body.</summary>
internal static class WireMessage
{
    public static byte[] Encode(IWireMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        buffer.GetSpan(1)[0] = (byte)message.Type;
        buffer.Advance(1);
        message.Write(new MsgPackWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes the body of a single (not compound, not compressed) message.</summary>
    public static bool TryDecode(MessageType type, ReadOnlySpan<byte> body, out IWireMessage? message)
    {
        var reader = new MsgPackReader(body);
        bool ok;
        switch (type)
        {
            case MessageType.Ping: ok = Ping.TryRead(ref reader, out var ping); message = ping; break;
            case MessageType.IndirectPing: ok = IndirectPing.TryRead(ref reader, out var ind); message = ind; break;
            case MessageType.AckResponse: ok = Ack.TryRead(ref reader, out var ack); message = ack; break;
            case MessageType.NackResponse: ok = Nack.TryRead(ref reader, out var nack); message = nack; break;
            case MessageType.Suspect: ok = Suspect.TryRead(ref reader, out var sus); message = sus; break;
            case MessageType.Alive: ok = Alive.TryRead(ref reader, out var alive); message = alive; break;
            case MessageType.Dead: ok = Dead.TryRead(ref reader, out var dead); message = dead; break;
            default: message = null; return false;
        }
        if (!ok)
            message = null;
        return ok;
    }
}
