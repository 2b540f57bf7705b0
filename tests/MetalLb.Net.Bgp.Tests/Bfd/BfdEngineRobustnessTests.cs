using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Bgp.Bfd;
using MetalLb.Net.Bgp.Bfd.Wire;
using MetalLb.Net.Bgp.Tests.Interop;

namespace MetalLb.Net.Bgp.Tests.Bfd;

/// <summary>
/// Mutated control packets through the real listener while a session with FRR is Up: every one
/// is dropped and counted, none throws, and the session never notices. They come from another
/// address on the peer's link, so none of them is the peer speaking.
/// </summary>
[Trait("Category", "Interop")]
public class BfdEngineRobustnessTests
{
    [SkippableFact]
    public async Task Mutated_packets_on_the_wire_are_dropped_and_counted_and_the_session_stays_up()
    {
        await using var bfd = await BfdLab.CreateAsync();
        var frr = bfd.StartFrr(FrrBfdd.Config(FrrBfdd.PeerBlock("192.0.2.1", "192.0.2.2")));
        await bfd.Engine.SetSessionAsync("p", new BfdSessionOptions { PeerAddress = NetLab.Ip("192.0.2.2"), LocalAddress = NetLab.Ip("192.0.2.1") });
        await Eventually.WaitAsync(() => (bfd.Engine.GetSession("p")?.State, frr.Status("192.0.2.1")), s => s == (BfdState.Up, "up"), InteropLab.Deadline, "both Up");
        var ours = bfd.Engine.GetSession("p")!.LocalDiscriminator;

        var peerDevice = NetLab.InNs(bfd.Lab.Peer, "ip -o -4 addr show to 192.0.2.2/32").Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        NetLab.InNs(bfd.Lab.Peer, $"ip addr add 192.0.2.3/24 dev {peerDevice}");
        using var sender = bfd.Lab.Net.Thread(bfd.Lab.Peer).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        sender.Ttl = 255;
        sender.Bind(new IPEndPoint(NetLab.Ip("192.0.2.3"), 49999));

        var random = new Random(5880_5881);
        var valid = new byte[24];
        new BfdControlPacket { State = BfdState.Up, DetectMult = 3, MyDiscriminator = 77, YourDiscriminator = ours, DesiredMinTxInterval = 300_000, RequiredMinRxInterval = 300_000 }.Encode(valid);
        const int Batches = 20, PerBatch = 100;
        for (var b = 0; b < Batches; b++)
        {
            for (var i = 0; i < PerBatch; i++)
            {
                var packet = valid.ToArray();
                for (var n = random.Next(0, 3); n > 0; n--)
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                var length = random.Next(4) == 0 ? random.Next(packet.Length + 1) : packet.Length;
                var port = random.Next(3) == 0 ? 4784 : 3784;
                sender.SendTo(packet.AsSpan(0, length), new IPEndPoint(NetLab.Ip("192.0.2.1"), port));
            }
            // Batch by batch, so the listener's socket buffer never overflows and every packet is counted.
            var expected = (b + 1) * PerBatch;
            await Eventually.WaitAsync(() => bfd.Engine.Dropped.Values.Sum(), n => n >= expected, InteropLab.Deadline, $"{expected} packets dropped");
        }

        var dropped = bfd.Engine.Dropped;
        Assert.Equal(Batches * PerBatch, dropped.Values.Sum());
        Assert.True(dropped.GetValueOrDefault(BfdDropReason.WrongSource) > 0, string.Join(", ", dropped));
        Assert.True(dropped.Count >= 5, string.Join(", ", dropped));
        var session = bfd.Engine.GetSession("p")!;
        Assert.Equal((BfdState.Up, 0L), (session.State, session.SessionDownEvents));
        Assert.Equal("up", frr.Status("192.0.2.1"));
    }
}
