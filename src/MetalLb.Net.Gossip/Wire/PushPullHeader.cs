namespace MetalLb.Net.Gossip.Wire;

/// <summary>memberlist's pushPullHeader: how many node states follow, the user state length, and whether this is a join.</summary>
internal sealed record PushPullHeader(int Nodes, int UserStateLen, bool Join)
{
    public void Write(MsgPackWriter writer)
    {
        writer.WriteMapHeader(3);
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("Join");
        writer.WriteBool(Join);
        writer.WriteKey("Nodes");
        writer.WriteUInt((ulong)Nodes);
        writer.WriteKey("UserStateLen");
        writer.WriteUInt((ulong)UserStateLen);
    }

    public static bool TryRead(ref MsgPackReader reader, out PushPullHeader message)
    {
        ulong nodes = 0, userLen = 0;
        var join = false;
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string name) => name switch
        {
            "Nodes" => r.TryReadUInt(out nodes),
            "UserStateLen" => r.TryReadUInt(out userLen),
            "Join" => r.TryReadBool(out join),
            _ => r.TrySkip(),
        });
        // Both counts are claims: bound them before anyone allocates from them.
        ok = ok && nodes <= PushPullLimits.MaxNodes && userLen <= PushPullLimits.MaxStateBytes;
        message = new PushPullHeader((int)Math.Min(nodes, int.MaxValue), (int)Math.Min(userLen, int.MaxValue), join);
        return ok;
    }
}
