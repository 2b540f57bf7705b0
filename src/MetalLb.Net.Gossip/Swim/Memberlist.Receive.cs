using System.Buffers;
using System.Net;
using MetalLb.Net.Gossip.Transport;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Swim;

// Everything that arrives from the transport: decoded, dispatched under the lock, and any bad
// input dropped and counted in Stats.
public sealed partial class Memberlist
{
    private readonly List<(IPEndPoint To, byte[] Request, StreamReplyHandler OnReply)> _outboxStreams = [];

    void IGossipReceiver.OnPacket(ReadOnlyMemory<byte> packet, IPEndPoint from)
    {
        Stats.Received();
        var messages = new List<IWireMessage>();
        var error = PacketCodec.Decode(packet, _options.Keyring, messages);
        if (error != PacketError.None)
            Stats.Drop(error);
        if (messages.Count == 0)
            return;
        Run(() =>
        {
            foreach (var message in messages)
                Dispatch(message, from);
        });
    }

    OperationStatus IGossipReceiver.OnStream(ReadOnlySpan<byte> received, IPEndPoint from, out byte[]? reply)
    {
        reply = null;
        var status = StreamFrame.TryRead(received, _options.Keyring, out var message, out var error);
        if (status == OperationStatus.NeedMoreData)
            return status;
        if (status != OperationStatus.Done)
        {
            Stats.Drop(error);
            return status;
        }
        byte[]? answer = null;
        switch (message!.Type)
        {
            case MessageType.PushPull:
                // Merge theirs first, then reply (memberlist replies first). After a partition each
                // side holds the other dead at the incarnation it was last alive at, so neither
                // side's old alive record counts with the other. Merging first lets our answer carry
                // our refutation (a higher incarnation) and anything we just learned, so one
                // exchange heals both sides instead of two.
                Run(() =>
                {
                    MergeState(message.States!);
                    answer = EncodeLocalState(join: false);
                });
                break;
            case MessageType.Ping when message.Ping!.Node.Length == 0 || message.Ping.Node == _options.Name:
                // memberlist's TCP fallback probe: answer the ack on the same stream.
                answer = StreamFrame.Encode(WireMessage.Encode(new Ack(message.Ping.SeqNo, [])), _options.EnableCompression, _options.Keyring);
                break;
            default:
                Stats.Drop(PacketError.UnknownType);
                return OperationStatus.InvalidData;
        }
        reply = answer;
        return answer is null ? OperationStatus.InvalidData : OperationStatus.Done;
    }

    private void Dispatch(IWireMessage message, IPEndPoint from)
    {
        switch (message)
        {
            case Ping ping: HandlePing(ping, from); break;
            case IndirectPing request: HandleIndirectPing(request, from); break;
            case Ack ack: HandleAck(ack, from); break;
            case Nack nack: HandleNack(nack); break;
            case Alive alive: AliveNode(alive); break;
            case Suspect suspect: SuspectNode(suspect); break;
            case Dead dead: DeadNode(dead); break;
        }
    }
}
