using MetalLb.Net.Gossip.Swim;

namespace MetalLb.Net.Gossip.Wire;

/// <summary>memberlist's pushNodeState: one member as seen by the sender, in a push-pull exchange.</summary>
internal sealed record PushNodeState(string Name, byte[] Addr, ushort Port, byte[] Meta, uint Incarnation,
    MemberState State, byte[] Vsn)
{
    public void Write(MsgPackWriter writer)
    {
        writer.WriteMapHeader(7);
        // go-msgpack writes struct fields sorted by name; we keep its order byte for byte.
        writer.WriteKey("Addr");
        writer.WriteBytes(Addr);
        writer.WriteKey("Incarnation");
        writer.WriteUInt(Incarnation);
        writer.WriteKey("Meta");
        writer.WriteBytes(Meta);
        writer.WriteKey("Name");
        writer.WriteString(Name);
        writer.WriteKey("Port");
        writer.WriteUInt(Port);
        writer.WriteKey("State");
        writer.WriteUInt((ulong)State);
        writer.WriteKey("Vsn");
        writer.WriteBytes(Vsn);
    }

    public static bool TryRead(ref MsgPackReader reader, out PushNodeState message)
    {
        string name = "";
        byte[] addr = [], meta = [], vsn = [];
        ushort port = 0;
        uint inc = 0;
        ulong state = 0;
        var ok = WireFields.TryReadMap(ref reader, (ref MsgPackReader r, string field) => field switch
        {
            "Name" => r.TryReadString(out name),
            "Addr" => r.TryReadBytes(out addr),
            "Port" => r.TryReadUInt16(out port),
            "Meta" => r.TryReadBytes(out meta),
            "Incarnation" => r.TryReadUInt32(out inc),
            "State" => r.TryReadUInt(out state),
            "Vsn" => r.TryReadBytes(out vsn),
            _ => r.TrySkip(),
        });
        ok = ok && state <= (ulong)MemberState.Left;
        message = new PushNodeState(name, addr, port, meta, inc, (MemberState)Math.Min(state, 3), vsn);
        return ok;
    }
}
