using System.Buffers;
using System.Net;

namespace MetalLb.Net.Gossip.Transport;

/// <summary>The engine side of a transport.</summary>
public interface IGossipReceiver
{
    void OnPacket(ReadOnlyMemory<byte> packet, IPEndPoint from);

    /// <summary>
    /// Called with every growing prefix of an incoming stream. NeedMoreData asks for more; Done
    /// means <paramref name="reply"/> (if any) is written back and the stream closed; InvalidData closes it.
    /// </summary>
    OperationStatus OnStream(ReadOnlySpan<byte> received, IPEndPoint from, out byte[]? reply);
}
