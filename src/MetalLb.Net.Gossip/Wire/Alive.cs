namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// memberlist's alive: Node is alive at Incarnation, reachable at Addr:Port, with Meta and the
/// six protocol version bytes (Vsn: pmin, pmax, pcur, dmin, dmax, dcur). Go encodes Vsn, a
/// []uint8, as a raw byte string, so we do too.
/// </summary>
internal sealed record Alive(uint Incarnation, string Node, byte[] Addr, ushort Port, byte[] Meta, byte[] Vsn)
    : IWireMessage
{
    public MessageType Type => MessageType.Alive;

    public void Write(MsgPackWriter writer)
    {
        writer.WriteMapHeader(6);
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("Addr");
        writer.WriteBytes(Addr);
        writer.WriteKey("Incarnation");
        writer.WriteUInt(Incarnation);
        writer.WriteKey("Meta");
        writer.WriteBytes(Meta);
        writer.WriteKey("Node");
        writer.WriteString(Node);
        writer.WriteKey("Port");
        writer.WriteUInt(Port);
        writer.WriteKey("Vsn");
        writer.WriteBytes(Vsn);
    }

    public static bool TryRead(ref MsgPackReader reader, out Alive message)
    {
        uint inc = 0;
        string node = "";
        byte[] addr = [], meta = [], vsn = [];
        ushort port = 0;
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "Incarnation" => r.TryReadUInt32(out inc),
            "Node" => r.TryReadString(out node),
            "Addr" => r.TryReadBytes(out addr),
            "Port" => r.TryReadUInt16(out port),
            "Meta" => r.TryReadBytes(out meta),
            "Vsn" => r.TryReadBytes(out vsn),
            _ => r.TrySkip(),
        });
        message = new Alive(inc, node, addr, port, meta, vsn);
        return ok;
    }
}
