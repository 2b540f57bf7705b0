namespace MetalLb.Net.Gossip.Wire;

/// <summary>memberlist's nackResp: an indirect prober heard nothing from the target in time.</summary>
internal sealed record Nack(uint SeqNo) : IWireMessage
{
    public MessageType Type => MessageType.NackResponse;

    public void Write(MsgPackWriter writer)
    {
        writer.WriteMapHeader(1);
        writer.WriteKey("SeqNo");
        writer.WriteUInt(SeqNo);
    }

    public static bool TryRead(ref MsgPackReader reader, out Nack message)
    {
        uint seq = 0;
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "SeqNo" => r.TryReadUInt32(out seq),
            _ => r.TrySkip(),
        });
        message = new Nack(seq);
        return ok;
    }
}
