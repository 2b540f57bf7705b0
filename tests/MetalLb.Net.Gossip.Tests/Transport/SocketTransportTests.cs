using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Gossip.Swim;
using MetalLb.Net.Gossip.Transport;
using MetalLb.Net.Gossip.Wire;

namespace MetalLb.Net.Gossip.Tests.Transport;

/// <summary>Our own members on real loopback sockets (no Go needed): the edge works end to end.</summary>
[Collection(nameof(Interop.InteropCollection))]
public sealed class SocketTransportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task Until(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException(what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Encrypted_members_join_and_see_a_graceful_leave()
    {
        var keyring = new Keyring(SecretKey.FromMetalLbSecret("AAECAwQFBgcICQoLDA0ODw"));
        var events = new ConcurrentQueue<MemberEvent>();
        await using var a = GossipMember.Start(MemberlistOptions.Lan("a", new IPEndPoint(IPAddress.Loopback, 0)) with { Keyring = keyring }, onEvent: events.Enqueue);
        await using var b = GossipMember.Start(MemberlistOptions.Lan("b", new IPEndPoint(IPAddress.Loopback, 0)) with { Keyring = keyring });
        Assert.Equal(1, await b.JoinAsync([a.LocalEndPoint]));
        await Until(() => a.Members.Count == 2 && b.Members.Count == 2, "members never saw each other");
        Assert.Equal(b.LocalEndPoint, a.Members.Single(m => m.Name == "b").Address);

        await b.LeaveAsync(TimeSpan.FromSeconds(5));
        await Until(() => events.Any(e => e is { Kind: MemberEventKind.Leave, Member.Name: "b" }), "a never saw b leave");
        Assert.DoesNotContain(events, e => e.Kind == MemberEventKind.Fail);
    }

    [Fact]
    public async Task Garbage_on_the_tcp_port_is_dropped_and_counted()
    {
        await using var a = GossipMember.Start(MemberlistOptions.Lan("a", new IPEndPoint(IPAddress.Loopback, 0)));
        var random = new Random(9);
        for (var i = 0; i < 20; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(a.LocalEndPoint);
            var junk = new byte[64];
            random.NextBytes(junk);
            junk[0] = (byte)(i % 2 == 0 ? MessageType.PushPull : MessageType.User);
            junk[1] = 0x81;   // a one-entry map...
            junk[2] = 0x01;   // ...whose key is not a string: malformed, not merely short
            await client.SendAsync(junk, SocketFlags.None);
            // The member closes the connection instead of answering.
            var buffer = new byte[16];
            Assert.Equal(0, await client.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Deadline));
        }
        Assert.Equal(20, a.Memberlist.Stats.DroppedTotal);
        Assert.Equal(["a"], a.Members.Select(m => m.Name));
    }
}
