using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Session;

/// <summary>
/// RFC 4271 §6.8, forced: the test plays the peer on loopback, lets our speaker dial it, then
/// dials our listener while our connection is still in OpenSent, and answers the OPEN on its
/// own connection with a higher or a lower BGP Identifier than ours.
/// </summary>
public sealed class CollisionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const uint Ours = 0xC000020A; // 192.0.2.10

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [Theory]
    [InlineData("peer has the higher identifier: its connection wins", 0xC0000214u, true)]
    [InlineData("we have the higher identifier: our connection wins", 0xC0000205u, false)]
    public async Task The_higher_identifier_keeps_the_connection_it_opened(string name, uint peerId, bool peersWins)
    {
        var listenPort = FreePort();
        using var fakePeer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        fakePeer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        fakePeer.Listen(4);
        await using var speaker = new BgpSpeaker(new BgpSpeakerOptions { ListenPort = listenPort, ListenAddressIPv4 = IPAddress.Loopback, ListenAddressIPv6 = IPAddress.IPv6Loopback }, TimeProvider.System);
        await speaker.SetPeerAsync("peer", new BgpPeerOptions
        {
            PeerAddress = IPAddress.Loopback, PeerPort = ((IPEndPoint)fakePeer.LocalEndPoint!).Port, LocalAs = 65000, PeerAs = 65001,
            RouterId = new IPAddress(BinaryPrimitives.ReverseEndianness(Ours)), HoldTime = TimeSpan.FromSeconds(30), Families = [Afi.IPv4],
        });

        using var ours = await fakePeer.AcceptAsync().WaitAsync(Timeout);          // our dial
        Assert.IsType<OpenMessage>(await ReadAsync(ours));
        using var theirs = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await theirs.ConnectAsync(new IPEndPoint(IPAddress.Loopback, listenPort)).WaitAsync(Timeout); // the peer's dial
        Assert.IsType<OpenMessage>(await ReadAsync(theirs));
        var open = OpenMessage.Create(65001, 30, peerId, [BgpCapability.Multiprotocol(Afi.IPv4, Safi.Unicast), BgpCapability.FourOctetAs(65001)]);
        await theirs.SendAsync(open.ToArray());
        Assert.IsType<KeepaliveMessage>(await ReadAsync(theirs));

        var (winner, loser) = peersWins ? (theirs, ours) : (ours, theirs);
        var cease = Assert.IsType<NotificationMessage>(await ReadAsync(loser));
        Assert.True((BgpErrorCode.Cease, (byte)7) == (cease.Error.Code, cease.Error.Subcode), name);
        if (!peersWins)
        {
            await winner.SendAsync(open.ToArray());
            Assert.IsType<KeepaliveMessage>(await ReadAsync(winner));
        }
        await winner.SendAsync(KeepaliveMessage.Instance.ToArray());
        var up = await Eventually.WaitAsync(() => speaker.GetPeer("peer")!, s => s.State == BgpState.Established, Timeout, "Established on the winner");
        Assert.Equal(peerId, up.Session!.PeerRouterId);
    }

    private readonly Dictionary<Socket, (byte[] Buffer, int Filled)> _pending = [];

    /// <summary>The next message on <paramref name="socket"/>; bytes of the one after stay for the next call.</summary>
    private async Task<BgpMessage> ReadAsync(Socket socket)
    {
        var (buffer, filled) = _pending.TryGetValue(socket, out var p) ? p : (new byte[8192], 0);
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            if (BgpMessageReader.TryRead(buffer.AsSpan(0, filled), out var m, out var used, out _) == OperationStatus.Done)
            {
                Buffer.BlockCopy(buffer, used, buffer, 0, filled - used);
                _pending[socket] = (buffer, filled - used);
                return m!;
            }
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cts.Token);
            Assert.True(n > 0, "connection closed before a whole message");
            filled += n;
        }
    }
}
