using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Fsm;
using MetalLb.Net.Bgp.Session;
using MetalLb.Net.Bgp.Wire;

namespace MetalLb.Net.Bgp.Tests.Session;

/// <summary>
/// A peer written byte by byte in the test, over real TCP on loopback, for what no daemon we
/// drive can be told to send: an UPDATE with MP_REACH_NLRI twice (RFC 7606 §3 g).
/// </summary>
public sealed class RawPeerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private BgpSpeaker _speaker = null!;
    private int _port;

    public Task InitializeAsync()
    {
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        _speaker = new BgpSpeaker(new BgpSpeakerOptions { ListenPort = _port, ListenAddressIPv4 = IPAddress.Loopback, ListenAddressIPv6 = IPAddress.IPv6Loopback }, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _speaker.DisposeAsync();

    [Fact]
    public async Task Mp_reach_nlri_twice_gets_notification_3_1_and_the_session_and_its_routes_go()
    {
        await _speaker.SetPeerAsync("raw", new BgpPeerOptions
        {
            PeerAddress = IPAddress.Loopback, LocalAs = 65000, PeerAs = 65001, Passive = true,
            RouterId = IPAddress.Parse("192.0.2.1"), HoldTime = TimeSpan.FromSeconds(30),
        });
        using var peer = await RawPeer.ConnectAsync(_port);
        await peer.SendAsync(OpenMessage.Create(65001, 30, 0xC0000202,
            [BgpCapability.Multiprotocol(Afi.IPv4, Safi.Unicast), BgpCapability.Multiprotocol(Afi.IPv6, Safi.Unicast), BgpCapability.FourOctetAs(65001)]));
        Assert.IsType<OpenMessage>(await peer.ReadAsync());
        await peer.SendAsync(KeepaliveMessage.Instance);
        await Eventually.WaitAsync(() => _speaker.GetPeer("raw")!, s => s.State == BgpState.Established, Timeout, "the session up");

        // First one good route, so "the route is kept" would show.
        await peer.SendAsync(new UpdateMessage([], [Origin, AsPath, MpReach("2001:db8:7::/48")], []));
        await Eventually.WaitAsync(() => _speaker.GetPeer("raw")!, s => s.ReceivedPrefixes == 1, Timeout, "the good route received");

        await peer.SendAsync(new UpdateMessage([], [Origin, AsPath, MpReach("2001:db8:8::/48"), MpReach("2001:db8:9::/48")], []));
        var notification = await peer.ReadUntilAsync<NotificationMessage>();
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)1), (notification.Error.Code, notification.Error.Subcode));
        Assert.True(await peer.ClosedAsync(), "the speaker closes the connection after its NOTIFICATION");
        var down = await Eventually.WaitAsync(() => _speaker.GetPeer("raw")!,
            s => s.State != BgpState.Established && s.ReceivedPrefixes == 0, Timeout, "the session down and its routes dropped");
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)1), (down.LastError.Code, down.LastError.Subcode));
    }

    private static PathAttribute Origin => new(PathAttributeFlags.Transitive, (byte)PathAttributeType.Origin, new byte[] { 0 });
    private static PathAttribute AsPath => new(PathAttributeFlags.Transitive, (byte)PathAttributeType.AsPath, new byte[] { 2, 1, 0, 0, 0xfd, 0xe9 });

    private static PathAttribute MpReach(string prefix)
    {
        var p = NlriPrefix.Parse(prefix);
        var nlri = new byte[p.EncodedLength];
        p.Write(nlri);
        return new(PathAttributeFlags.Optional, (byte)PathAttributeType.MpReachNlri,
            (byte[])[0, 2, 1, 16, .. IPAddress.Parse("2001:db8::2").GetAddressBytes(), 0, .. nlri]);
    }

    /// <summary>The test's side of the TCP connection: whole messages out, whole messages in.</summary>
    private sealed class RawPeer(TcpClient client) : IDisposable
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly List<byte> _buffer = [];

        public static async Task<RawPeer> ConnectAsync(int port)
        {
            var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Loopback, port);
            return new RawPeer(client);
        }

        public async Task SendAsync(BgpMessage message) => await _stream.WriteAsync(message.ToArray());

        /// <summary>The next message, or null at end of stream; fails after the timeout.</summary>
        public async Task<BgpMessage?> ReadAsync()
        {
            using var cts = new CancellationTokenSource(Timeout);
            var chunk = new byte[4096];
            while (true)
            {
                var status = BgpMessageReader.TryRead([.. _buffer], out var message, out var consumed, out var error);
                Assert.NotEqual(OperationStatus.InvalidData, status);
                if (status == OperationStatus.Done)
                {
                    _buffer.RemoveRange(0, consumed);
                    return message;
                }
                var n = await _stream.ReadAsync(chunk, cts.Token);
                if (n == 0)
                    return null;
                _buffer.AddRange(chunk.AsSpan(0, n));
            }
        }

        /// <summary>Skips KEEPALIVEs (and anything else) until a <typeparamref name="T"/>.</summary>
        public async Task<T> ReadUntilAsync<T>() where T : BgpMessage
        {
            while (true)
            {
                var m = await ReadAsync() ?? throw new InvalidOperationException($"the connection closed before a {typeof(T).Name}");
                if (m is T t)
                    return t;
            }
        }

        public async Task<bool> ClosedAsync()
        {
            while (true)
                try
                {
                    if (await ReadAsync() is null)
                        return true;
                }
                catch (IOException)
                {
                    return true; // a reset is a close too
                }
        }

        public void Dispose() => client.Dispose();
    }
}
