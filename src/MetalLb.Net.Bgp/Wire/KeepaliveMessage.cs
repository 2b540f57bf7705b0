namespace MetalLb.Net.Bgp.Wire;

/// <summary>KEEPALIVE (RFC 4271 §4.4): the header alone.</summary>
public sealed class KeepaliveMessage : BgpMessage
{
    public static KeepaliveMessage Instance { get; } = new();

    public override BgpMessageType Type => BgpMessageType.Keepalive;
    protected override int GetBodyLength() => 0;
    protected override int WriteBody(Span<byte> destination) => 0;
}
