namespace MetalLb.Net.Gossip.Wire;

/// <summary>
/// The optional SourceAddr/SourceNode/SourcePort fields newer memberlist adds to ping and
/// indirect ping (omitempty: absent when empty), in go-msgpack's sorted field order.
/// </summary>
internal static class SourceFields
{
    public static void Write(MsgPackWriter writer, byte[]? addr, ushort port, string? node)
    {
        if (addr is { Length: > 0 })
        {
            writer.WriteKey("SourceAddr");
            writer.WriteBytes(addr);
        }
        if (!string.IsNullOrEmpty(node))
        {
            writer.WriteKey("SourceNode");
            writer.WriteString(node);
        }
        if (port != 0)
        {
            writer.WriteKey("SourcePort");
            writer.WriteUInt(port);
        }
    }
}
