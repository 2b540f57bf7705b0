namespace MetalLb.Net.Gossip.Wire;

/// <summary>A memberlist message body: a msgpack map whose keys are the Go struct's field names.</summary>
internal interface IWireMessage
{
    MessageType Type { get; }

    void Write(MsgPackWriter writer);
}
