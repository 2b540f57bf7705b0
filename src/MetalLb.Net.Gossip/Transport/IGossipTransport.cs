using System.Net;

namespace MetalLb.Net.Gossip.Transport;

/// <summary>
/// What the SWIM engine needs from the network: datagrams, and one-request-one-reply streams
/// (memberlist's TCP push-pull and fallback ping). Real sockets in <see cref="SocketTransport"/>;
/// an in-memory network in the tests (memberlist's MockNetwork idea).
/// </summary>
public interface IGossipTransport
{
    /// <summary>Starts delivering to <paramref name="receiver"/>.</summary>
    void Start(IGossipReceiver receiver);

    /// <summary>Best effort, like UDP: may be lost, never throws for network reasons.</summary>
    void SendPacket(IPEndPoint to, byte[] packet);

    /// <summary>
    /// Opens a stream to <paramref name="to"/>, writes <paramref name="request"/>, and hands every
    /// growing prefix of the reply to <paramref name="onReply"/> until it returns other than
    /// NeedMoreData; on failure or timeout it is called once with failed = true.
    /// </summary>
    void SendStream(IPEndPoint to, byte[] request, StreamReplyHandler onReply);

    /// <summary>
    /// True while datagrams have arrived that the receiver has not been handed yet (a starved
    /// process's socket buffer): the engine reads them before it declares a member dead.
    /// </summary>
    bool HasUnreadPackets => false;
}
