namespace MetalLb.Net.Gossip.Wire;

/// <summary>memberlist's suspect: From suspects Node at Incarnation.</summary>
internal sealed record Suspect(uint Incarnation, string Node, string From) : IWireMessage
{
    public MessageType Type => MessageType.Suspect;

    public void Write(MsgPackWriter writer) => IncarnationNotice.Write(writer, Incarnation, Node, From);

    public static bool TryRead(ref MsgPackReader reader, out Suspect message)
    {
        var ok = IncarnationNotice.TryRead(ref reader, out var inc, out var node, out var from);
        message = new Suspect(inc, node, from);
        return ok;
    }
}
