namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// memberlist's ping: SeqNo, Node (the intended target, so a restarted node under a new name
/// does not answer for the old one), and optional Source* fields for a direct reply.
/// </summary>
internal sealed record Ping(uint SeqNo, string Node, byte[]? SourceAddr = null, ushort SourcePort = 0, string? SourceNode = null)
    : IWireMessage
{
    public MessageType Type => MessageType.Ping;

    public void Write(MsgPackWriter writer)
    {
        var hasSource = SourceAddr is { Length: > 0 };
        var hasSourceNode = !string.IsNullOrEmpty(SourceNode);
        writer.WriteMapHeader(2 + (hasSource ? 1 : 0) + (SourcePort != 0 ? 1 : 0) + (hasSourceNode ? 1 : 0));
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("Node");
        writer.WriteString(Node);
        writer.WriteKey("SeqNo");
        writer.WriteUInt(SeqNo);
        SourceFields.Write(writer, SourceAddr, SourcePort, SourceNode);
    }

    public static bool TryRead(ref MsgPackReader reader, out Ping message)
    {
        uint seq = 0;
        string node = "", sourceNode = "";
        byte[] sourceAddr = [];
        ushort sourcePort = 0;
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "SeqNo" => r.TryReadUInt32(out seq),
            "Node" => r.TryReadString(out node),
            "SourceAddr" => r.TryReadBytes(out sourceAddr),
            "SourcePort" => r.TryReadUInt16(out sourcePort),
            "SourceNode" => r.TryReadString(out sourceNode),
            _ => r.TrySkip(),
        });
        message = new Ping(seq, node, sourceAddr, sourcePort, sourceNode);
        return ok;
    }
}
