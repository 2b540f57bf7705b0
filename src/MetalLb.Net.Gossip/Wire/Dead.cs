namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// memberlist's dead: From declares Node dead at Incarnation. When From equals Node the node is
/// leaving gracefully (memberlist overloads dead for leave).
/// </summary>
internal sealed record Dead(uint Incarnation, string Node, string From) : IWireMessage
{
    public MessageType Type => MessageType.Dead;

    public bool IsLeave => Node == From;

    public void Write(MsgPackWriter writer) => IncarnationNotice.Write(writer, Incarnation, Node, From);

    public static bool TryRead(ref MsgPackReader reader, out Dead message)
    {
        var ok = IncarnationNotice.TryRead(ref reader, out var inc, out var node, out var from);
        message = new Dead(inc, node, from);
        return ok;
    }
}
