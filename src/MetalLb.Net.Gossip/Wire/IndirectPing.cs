namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// memberlist's indirectPingReq: ask a peer to ping Target:Port (named Node) for us and relay
/// the ack; with Nack set the peer answers a nack when the target stays silent, which feeds
/// Lifeguard's local health score (our own missed nacks mean we are the slow one).
/// </summary>
internal sealed record IndirectPing(uint SeqNo, byte[] Target, ushort Port, string Node, bool Nack,
    byte[]? SourceAddr = null, ushort SourcePort = 0, string? SourceNode = null) : IWireMessage
{
    public MessageType Type => MessageType.IndirectPing;

    public void Write(MsgPackWriter writer)
    {
        var hasSource = SourceAddr is { Length: > 0 };
        var hasSourceNode = !string.IsNullOrEmpty(SourceNode);
        writer.WriteMapHeader(5 + (hasSource ? 1 : 0) + (SourcePort != 0 ? 1 : 0) + (hasSourceNode ? 1 : 0));
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("Nack");
        writer.WriteBool(Nack);
        writer.WriteKey("Node");
        writer.WriteString(Node);
        writer.WriteKey("Port");
        writer.WriteUInt(Port);
        writer.WriteKey("SeqNo");
        writer.WriteUInt(SeqNo);
        SourceFields.Write(writer, SourceAddr, SourcePort, SourceNode);
        writer.WriteKey("Target");
        writer.WriteBytes(Target);
    }

    public static bool TryRead(ref MsgPackReader reader, out IndirectPing message)
    {
        uint seq = 0;
        byte[] target = [], sourceAddr = [];
        ushort port = 0, sourcePort = 0;
        string node = "", sourceNode = "";
        var nack = false;
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "SeqNo" => r.TryReadUInt32(out seq),
            "Target" => r.TryReadBytes(out target),
            "Port" => r.TryReadUInt16(out port),
            "Node" => r.TryReadString(out node),
            "Nack" => r.TryReadBool(out nack),
            "SourceAddr" => r.TryReadBytes(out sourceAddr),
            "SourcePort" => r.TryReadUInt16(out sourcePort),
            "SourceNode" => r.TryReadString(out sourceNode),
            _ => r.TrySkip(),
        });
        message = new IndirectPing(seq, target, port, node, nack, sourceAddr, sourcePort, sourceNode);
        return ok;
    }
}
