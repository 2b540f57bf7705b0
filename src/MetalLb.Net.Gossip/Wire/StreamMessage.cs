namespace MetalLb.Net.Gossip.Wire;

/// <summary>One decoded TCP message: a push-pull state exchange, a ping (TCP fallback probe), its ack, or an error.</summary>
internal sealed record StreamMessage(MessageType Type, PushPullHeader? Header = null,
    IReadOnlyList<PushNodeState>? States = null, Ping? Ping = null, Ack? Ack = null, string? Error = null);
