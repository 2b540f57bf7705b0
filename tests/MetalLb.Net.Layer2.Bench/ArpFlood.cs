using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MetalLb.Net.Layer2.Sockets;
using MetalLb.Net.Layer2.Wire;

namespace MetalLb.Net.Layer2.Bench;

/// <summary>
/// Offers ARP requests at a fixed rate from the client namespace on a packet socket and counts
/// the replies that come back, to find the rate a responder sustains without loss.
/// </summary>
internal sealed class ArpFlood(BenchLab lab, ISocketProvider clientSockets)
{
    private static readonly MacAddress ClientMac = new(0x0200_0000_C001);

    public (long Sent, long Replies) Run(string targetIp, int perSecond, TimeSpan duration)
    {
        uint target = AddressBits.ToUInt32(IPAddress.Parse(targetIp));
        const ushort arp = 0x0806;
        using var socket = clientSockets.Create(() => new Socket(AddressFamily.Packet, SocketType.Raw,
            (ProtocolType)BinaryPrimitives.ReverseEndianness(arp)));
        socket.Bind(new LinkLayerEndPoint(lab.ClientIndex, arp));
        socket.ReceiveBufferSize = 8 << 20;
        socket.ReceiveTimeout = 100;
        long replies = 0;
        bool stop = false;
        var receiver = new Thread(() =>
        {
            var buffer = new byte[128];
            while (!Volatile.Read(ref stop))
            {
                int n;
                try
                {
                    n = socket.Receive(buffer);
                }
                catch (SocketException)
                {
                    continue;
                }
                if (ArpPacket.TryRead(buffer.AsSpan(14, n - 14), out var packet) == System.Buffers.OperationStatus.Done
                    && packet.Operation == ArpOperation.Reply && packet.SenderProtocolAddress == target
                    && packet.TargetHardwareAddress == ClientMac)
                    Interlocked.Increment(ref replies);
            }
        }) { IsBackground = true };
        receiver.Start();

        var frame = new byte[42];
        int len = new EthernetHeader(MacAddress.Broadcast, ClientMac, EtherType.Arp).Write(frame);
        new ArpPacket(ArpOperation.Request, ClientMac, AddressBits.ToUInt32(IPAddress.Parse("192.0.2.2")),
            MacAddress.Zero, target).Write(frame.AsSpan(len));
        long total = (long)(perSecond * duration.TotalSeconds);
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (sent < total)
        {
            long due = (long)(clock.Elapsed.TotalSeconds * perSecond);
            for (; sent < Math.Min(due, total); sent++)
                socket.Send(frame);
            if (sent < due)
                continue;
            Thread.SpinWait(50);
        }
        // Replies still in flight: wait until the count stops moving (bounded).
        long last = -1;
        for (int i = 0; i < 20 && Interlocked.Read(ref replies) != last; i++)
        {
            last = Interlocked.Read(ref replies);
            Thread.Sleep(100);
        }
        Volatile.Write(ref stop, true);
        receiver.Join();
        return (sent, replies);
    }
}
