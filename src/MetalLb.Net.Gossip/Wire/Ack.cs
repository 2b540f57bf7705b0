namespace MetalLb.Net.Gossip.Wire;

/// <summary>memberlist's ackResp: the SeqNo of the ping it answers and an opaque Payload.</summary>
internal sealed record Ack(uint SeqNo, byte[] Payload) : IWireMessage
{
    public MessageType Type => MessageType.AckResponse;

    public void Write(MsgPackWriter writer)
    {
        writer.WriteMapHeader(2);
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("Payload");
        writer.WriteBytes(Payload);
        writer.WriteKey("SeqNo");
        writer.WriteUInt(SeqNo);
    }

    public static bool TryRead(ref MsgPackReader reader, out Ack message)
    {
        uint seq = 0;
        byte[] payload = [];
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "SeqNo" => r.TryReadUInt32(out seq),
            "Payload" => r.TryReadBytes(out payload),
            _ => r.TrySkip(),
        });
        message = new Ack(seq, payload);
        return ok;
    }
}
