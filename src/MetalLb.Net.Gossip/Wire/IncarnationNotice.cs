namespace MetalLb.Net.Gossip.Wire;

/// <summary>suspect and dead share one layout: Incarnation, Node, From, in that order.</summary>
internal static class IncarnationNotice
{
    public static void Write(MsgPackWriter writer, uint incarnation, string node, string from)
    {
        writer.WriteMapHeader(3);
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("From");
        writer.WriteString(from);
        writer.WriteKey("Incarnation");
        writer.WriteUInt(incarnation);
        writer.WriteKey("Node");
        writer.WriteString(node);
    }

    public static bool TryRead(ref MsgPackReader reader, out uint incarnation, out string node, out string from)
    {
        uint inc = 0;
        string n = "", f = "";
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "Incarnation" => r.TryReadUInt32(out inc),
            "Node" => r.TryReadString(out n),
            "From" => r.TryReadString(out f),
            _ => r.TrySkip(),
        });
        incarnation = inc;
        node = n;
        from = f;
        return ok;
    }
}
